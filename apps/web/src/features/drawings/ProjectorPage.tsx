import type { DrawingCommitment, PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useEvent } from '../../api/events.ts';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { AnnouncementButton } from './AnnouncementButton.tsx';
import { formatRegistrationNumber } from './announcement-card.ts';
import { configFromSearch, optionsFromSearch, optionsToBody } from './drawing-config.ts';
import { createCommitment, useConfirmDrawing, useDraw, usePoolPreview } from './drawings.api.ts';
import styles from './drawings.module.css';
import { problemCode } from './problem-code.ts';
import { useIsOrganizer } from './use-is-organizer.ts';

type Phase = 'ready' | 'rolling' | 'revealed' | 'confirmed';

/** How long the numbers spin before the winner shows: long enough for a drum roll, short enough to keep pace. */
const ROLL_MS = 2600;
const ROLL_MS_REDUCED = 300;

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * The full-screen projector view. Before each draw it shows the commitment (SHA-256 of the secret
 * seed) so the room sees it before the winner exists; the draw spins through the people actually
 * in the pool (number and masked name), then lands on the winners. Names are masked on this
 * screen (박*호) — the room is public — unless the organizer chooses to show them. Confirm or
 * redraw from here.
 */
export function ProjectorPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const { t } = useTranslation('drawings');
  const errorMessage = useErrorMessage();
  const event = useEvent(id);
  const organizer = useIsOrganizer(event.data);
  const config = configFromSearch(search);
  const options = optionsFromSearch(search);
  const pool = usePoolPreview(id, config, true);
  const draw = useDraw(id);
  const confirm = useConfirmDrawing(id);
  const [phase, setPhase] = useState<Phase>('ready');
  const [commitment, setCommitment] = useState<DrawingCommitment | null>(null);
  const [drawing, setDrawing] = useState<PrizeDrawing | null>(null);
  const [rolling, setRolling] = useState<{
    registration_number: number;
    participant_name_masked: string;
  } | null>(null);
  const [showFullNames, setShowFullNames] = useState(false);
  // The raw error; translated at render so no callback depends on the (per-render) translator.
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  const explain = (err: unknown) => {
    const code = problemCode(err);
    return code ? t(`problem.${code}`) : errorMessage(err);
  };

  // A fresh commitment for every draw, published on screen before the button is pressed.
  const prepare = useCallback(async () => {
    setCommitment(null);
    try {
      setCommitment(await createCommitment(id));
    } catch (err) {
      setError(err);
    }
  }, [id]);

  const featureOn = event.data?.features.prize_drawing_enabled === true;
  useEffect(() => {
    if (featureOn && organizer) void prepare();
  }, [featureOn, organizer, prepare]);

  useEffect(
    () => () => {
      if (timer.current) clearInterval(timer.current);
    },
    [],
  );

  const start = useCallback(async () => {
    if (!commitment || phase === 'rolling') return;
    setError(null);
    setPhase('rolling');
    // Only people who can actually win roll past (numbers and masked names from the pool preview).
    const entries = pool.data?.entries ?? [];
    setRolling(entries[0] ?? null);
    timer.current = setInterval(() => {
      if (entries.length > 0) setRolling(entries[Math.floor(Math.random() * entries.length)]!);
    }, 60);
    const minimum = new Promise((r) => setTimeout(r, prefersReducedMotion() ? ROLL_MS_REDUCED : ROLL_MS));
    try {
      const [result] = await Promise.all([
        draw.mutateAsync({ config, commitment_id: commitment.commitment_id, ...optionsToBody(options) }),
        minimum,
      ]);
      setDrawing(result);
      setPhase('revealed');
    } catch (err) {
      setError(err);
      setPhase('ready');
    } finally {
      if (timer.current) clearInterval(timer.current);
      timer.current = null;
      void prepare();
    }
  }, [commitment, phase, pool.data?.entries, draw, config, options, prepare]);

  const onConfirm = async () => {
    if (!drawing) return;
    try {
      setDrawing(await confirm.mutateAsync(drawing.id));
      setPhase('confirmed');
    } catch (err) {
      setError(err);
    }
  };

  // Space or Enter draws (a presenter's clicker sends those); the view has no other inputs.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === ' ' || e.key === 'Enter') && phase === 'ready' && e.target === document.body) {
        e.preventDefault();
        void start();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase, start]);

  const nameOf = (w: PrizeDrawing['winner']) =>
    showFullNames ? w.participant_name : w.participant_name_masked;

  if (event.isPending) return <Loading />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} />;
  const e = event.data;

  return (
    <div className={styles.projector} data-testid="projector">
      <div className={styles.projectorTop}>
        <Link to={`/events/${id}/drawings`} className="btn btn-ghost btn-sm" style={{ color: 'inherit' }}>
          ← {t('projector.exit')}
        </Link>
        <div className="spacer" />
        <span data-testid="projector-pool">
          {t(`config.pool.${config.participant_pool}`)} ·{' '}
          {pool.data ? t('pool.size', { count: pool.data.pool_size }) : t('pool.counting')}
        </span>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          style={{ color: 'inherit' }}
          onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}
        >
          {t('projector.fullscreen')}
        </button>
      </div>

      <main className={styles.projectorStage}>
        <div className={styles.projectorEvent}>{e.name}</div>
        {options.prize && (
          <div className={styles.projectorPrize} data-testid="projector-prize">
            {t('projector.prize', { prize: options.prize })}
            {options.winnerCount > 1 && ` · ${t('projector.winnersTitle', { count: options.winnerCount })}`}
          </div>
        )}
        {!e.features.prize_drawing_enabled ? (
          <p>{t('disabled.title')}</p>
        ) : organizer === false ? (
          <p>{t('staffNotice')}</p>
        ) : phase === 'ready' ? (
          <div className="stack" style={{ alignItems: 'center' }}>
            <div className={`${styles.projectorNumber}`} aria-hidden="true">
              ???
            </div>
            <button
              type="button"
              className={`btn ${styles.projectorButton}`}
              disabled={!commitment || (pool.data?.pool_size ?? 0) === 0}
              onClick={() => void start()}
              data-testid="projector-draw"
            >
              {t('action.draw')}
            </button>
          </div>
        ) : phase === 'rolling' ? (
          <div className={`stack ${styles.rolling}`} style={{ alignItems: 'center' }} aria-live="off">
            <div className={styles.projectorNumber} data-testid="projector-rolling-number">
              {rolling ? formatRegistrationNumber(rolling.registration_number) : '???'}
            </div>
            <div className={styles.rollingName} data-testid="projector-rolling-name">
              {rolling?.participant_name_masked ?? ''}
            </div>
          </div>
        ) : drawing ? (
          <div className={`stack ${styles.reveal}`} style={{ alignItems: 'center' }} aria-live="assertive">
            {drawing.winners.length === 1 ? (
              <>
                <div className={styles.projectorName} data-testid="projector-winner-name">
                  {nameOf(drawing.winner)}
                </div>
                <div className={styles.projectorNumber} data-testid="projector-winner-number">
                  {formatRegistrationNumber(drawing.winner.registration_number)}
                </div>
              </>
            ) : (
              <ol className={styles.projectorWinners} data-testid="projector-winners">
                {drawing.winners.map((w) => (
                  <li
                    key={w.participant_id}
                    className={styles.projectorWinnerCard}
                    data-testid="projector-winner"
                  >
                    <span className={styles.projectorWinnerCardName}>{nameOf(w)}</span>
                    <span className={styles.projectorWinnerCardNumber}>
                      {formatRegistrationNumber(w.registration_number)}
                    </span>
                  </li>
                ))}
              </ol>
            )}
            <button
              type="button"
              className={`btn btn-sm ${styles.projectorToggle}`}
              aria-pressed={showFullNames}
              onClick={() => setShowFullNames((v) => !v)}
              data-testid="projector-toggle-names"
            >
              {showFullNames ? t('projector.hideNames') : t('projector.showNames')}
            </button>
            {phase === 'revealed' ? (
              <div className={styles.projectorActions}>
                <button
                  type="button"
                  className={`btn ${styles.projectorButton}`}
                  disabled={confirm.isPending}
                  onClick={() => void onConfirm()}
                  data-testid="projector-confirm"
                >
                  {t('action.confirm')}
                </button>
                <button
                  type="button"
                  className={`btn btn-secondary ${styles.projectorButton}`}
                  disabled={!commitment}
                  onClick={() => void start()}
                  data-testid="projector-redraw"
                >
                  {t('action.redraw')}
                </button>
              </div>
            ) : (
              <div className="stack" style={{ alignItems: 'center' }}>
                <p style={{ fontSize: '1.5rem' }} data-testid="projector-confirmed">
                  🎉 {t('projector.confirmed')}
                </p>
                <div className={styles.projectorActions}>
                  <AnnouncementButton drawing={drawing} eventName={e.name} />
                  <button
                    type="button"
                    className="btn btn-sm"
                    onClick={() => {
                      setDrawing(null);
                      setPhase('ready');
                    }}
                  >
                    {t('projector.next')}
                  </button>
                </div>
              </div>
            )}
          </div>
        ) : null}
        {error !== null && (
          <p role="alert" style={{ fontSize: '1.25rem', color: '#ffa8a8' }}>
            {explain(error)}
          </p>
        )}
      </main>

      <footer className={`${styles.projectorFoot} ${styles.hash}`}>
        {drawing && phase !== 'rolling' && (
          <div>{t('projector.revealed', { hash: drawing.seed_hash, seed: drawing.seed })}</div>
        )}
        {commitment && phase === 'ready' && (
          <div data-testid="projector-commitment">
            {t('commitment.label', { hash: commitment.seed_hash })}
          </div>
        )}
      </footer>
    </div>
  );
}
