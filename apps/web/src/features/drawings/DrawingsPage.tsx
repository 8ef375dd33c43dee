import {
  type DrawingConfig,
  MAX_WINNERS_PER_DRAW,
  type PrizeDrawing,
} from '@eventmanager/domain/drawings/schema';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useEvent } from '../../api/events.ts';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { AnnouncementButton } from './AnnouncementButton.tsx';
import { formatRegistrationNumber } from './announcement-card.ts';
import { ConfigForm } from './ConfigForm.tsx';
import {
  checkDrawOptions,
  DEFAULT_CONFIG,
  DEFAULT_OPTIONS,
  type DrawOptions,
  optionsToBody,
  optionsToSearch,
  PRIZE_MAX_LENGTH,
} from './drawing-config.ts';
import { useConfirmDrawing, useDraw, useDrawingHistory, usePoolPreview } from './drawings.api.ts';
import styles from './drawings.module.css';
import { HistoryList } from './HistoryList.tsx';
import { problemCode } from './problem-code.ts';
import { useDrawingsLive } from './use-drawings-live.ts';
import { useIsOrganizer } from './use-is-organizer.ts';
import { WinnerList } from './WinnerList.tsx';

/** Polling fallback while the WebSocket is not connected. */
const POLL_MS = 10_000;

/**
 * The event's drawing screen. The organizer picks the pool and filter, sees the pool size, draws,
 * confirms or redraws; everyone on the event (staff too) sees the history update live.
 */
export function DrawingsPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('drawings');
  const event = useEvent(id);
  const live = useDrawingsLive(id);
  const organizer = useIsOrganizer(event.data) === true;
  const history = useDrawingsHistoryLive(id, live);

  if (event.isPending) return <Loading />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} />;
  const e = event.data;

  return (
    <div className="page stack">
      <div className="row">
        <Link to={`/events/${id}`} className="btn btn-ghost btn-sm">
          ← {e.name}
        </Link>
      </div>
      <h1>{t('title')}</h1>
      {!e.features.prize_drawing_enabled ? (
        <div className="card stack" role="note">
          <h2>{t('disabled.title')}</h2>
          <p className="muted">{t('disabled.body')}</p>
        </div>
      ) : organizer ? (
        <DrawPanel eventId={id} fields={e.registration.form_fields} history={history.data ?? []} />
      ) : (
        <p className="muted">{t('staffNotice')}</p>
      )}
      <section className="card stack" aria-labelledby="drawing-history-title">
        <div className="row">
          <h2 id="drawing-history-title" style={{ margin: 0 }}>
            {t('history.title')}
          </h2>
          <div className="spacer" />
          <span className="muted small" data-testid="live-status">
            {live ? t('history.live') : t('history.polling')}
          </span>
        </div>
        {history.isPending ? (
          <Loading />
        ) : history.isError ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} />
        ) : (
          <LatestConfirmed items={history.data} eventName={e.name} organizer={organizer} />
        )}
      </section>
    </div>
  );
}

function useDrawingsHistoryLive(eventId: string, live: boolean) {
  return useDrawingHistory(eventId, { refetchInterval: live ? 60_000 : POLL_MS });
}

function LatestConfirmed({
  items,
  eventName,
  organizer,
}: {
  items: PrizeDrawing[];
  eventName: string;
  organizer: boolean;
}) {
  const { t } = useTranslation('drawings');
  const latest = items.find((d) => d.status === 'confirmed');
  return (
    <>
      {latest && (
        <div className={`${styles.winner} stack`} data-testid="latest-winner">
          <span className="muted small">{t('result.latestConfirmed')}</span>
          {latest.prize && <strong>{t('result.prize', { prize: latest.prize })}</strong>}
          <span className={styles.winnerName}>{latest.winner.participant_name}</span>
          <span className={styles.winnerNumber}>
            {formatRegistrationNumber(latest.winner.registration_number)}
          </span>
          {latest.winners.length > 1 && <WinnerList winners={latest.winners.slice(1)} />}
          {organizer && (
            <div className="row" style={{ justifyContent: 'center' }}>
              <AnnouncementButton drawing={latest} eventName={eventName} />
            </div>
          )}
        </div>
      )}
      <HistoryList items={items} />
    </>
  );
}

function DrawPanel({
  eventId,
  fields,
  history,
}: {
  eventId: string;
  fields: Parameters<typeof ConfigForm>[0]['fields'];
  history: PrizeDrawing[];
}) {
  const { t } = useTranslation('drawings');
  const errorMessage = useErrorMessage();
  const [config, setConfig] = useState<DrawingConfig>(DEFAULT_CONFIG);
  const [options, setOptions] = useState<DrawOptions>(DEFAULT_OPTIONS);
  const pool = usePoolPreview(eventId, config);
  const optionsProblem = checkDrawOptions(options, pool.data?.pool_size ?? null);
  const draw = useDraw(eventId);
  const confirm = useConfirmDrawing(eventId);
  const open = history.find((d) => d.status === 'drawn');

  const explain = (error: unknown) => {
    const code = problemCode(error);
    return code ? t(`problem.${code}`) : errorMessage(error);
  };

  return (
    <section className="card stack" aria-labelledby="draw-title">
      <h2 id="draw-title">{t('draw.title')}</h2>
      <ConfigForm config={config} fields={fields} onChange={setConfig} />
      <PrizeFields options={options} onChange={setOptions} />
      {optionsProblem && (
        <p role="alert" className="small" style={{ color: 'var(--c-danger)' }} data-testid="options-problem">
          {t(optionsProblem.key, optionsProblem)}
        </p>
      )}
      <p aria-live="polite" data-testid="pool-size">
        {pool.isPending
          ? t('pool.counting')
          : pool.isError
            ? explain(pool.error)
            : pool.data.empty_reason
              ? t(`problem.${pool.data.empty_reason}`)
              : t('pool.size', { count: pool.data.pool_size })}
      </p>
      <div className="row">
        <button
          type="button"
          className="btn"
          disabled={draw.isPending || (pool.data?.pool_size ?? 0) === 0 || optionsProblem !== null}
          onClick={() => draw.mutate({ config, ...optionsToBody(options) })}
        >
          {open ? t('action.redraw') : t('action.draw')}
        </button>
        <Link
          className="btn btn-secondary"
          to={`/events/${eventId}/drawings/projector${optionsToSearch(config, options)}`}
        >
          {t('projector.open')}
        </Link>
      </div>
      {draw.isError && (
        <p role="alert" className="small" style={{ color: 'var(--c-danger)' }}>
          {explain(draw.error)}
        </p>
      )}
      {open && (
        <div className={`${styles.winner} stack`} data-testid="open-drawing">
          <span className="muted small">{t('result.pending')}</span>
          {open.prize && <strong>{t('result.prize', { prize: open.prize })}</strong>}
          <span className={styles.winnerName}>{open.winner.participant_name}</span>
          <span className={styles.winnerNumber}>
            {formatRegistrationNumber(open.winner.registration_number)}
          </span>
          {open.winners.length > 1 && <WinnerList winners={open.winners.slice(1)} />}
          <p className={`muted ${styles.hash}`}>{t('commitment.label', { hash: open.seed_hash })}</p>
          <div className="row" style={{ justifyContent: 'center' }}>
            <button
              type="button"
              className="btn"
              disabled={confirm.isPending}
              onClick={() => confirm.mutate(open.id)}
            >
              {t('action.confirm')}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={draw.isPending}
              onClick={() =>
                draw.mutate({
                  config: open.config,
                  ...(open.prize ? { prize: open.prize } : {}),
                  winner_count: open.winner_count,
                })
              }
            >
              {t('action.redraw')}
            </button>
          </div>
          {confirm.isError && (
            <p role="alert" className="small" style={{ color: 'var(--c-danger)' }}>
              {explain(confirm.error)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** The prize's name and how many winners the draw picks (all from one seed). */
function PrizeFields({ options, onChange }: { options: DrawOptions; onChange: (o: DrawOptions) => void }) {
  const { t } = useTranslation('drawings');
  const id = useId();
  return (
    <div className="row">
      <div className="field" style={{ flex: 2, minWidth: 180 }}>
        <label htmlFor={`${id}-prize`}>{t('config.prize.label')}</label>
        <input
          id={`${id}-prize`}
          value={options.prize}
          maxLength={PRIZE_MAX_LENGTH}
          placeholder={t('config.prize.placeholder')}
          onChange={(e) => onChange({ ...options, prize: e.target.value })}
        />
      </div>
      <div className="field" style={{ flex: 1, minWidth: 120 }}>
        <label htmlFor={`${id}-count`}>{t('config.count.label')}</label>
        <input
          id={`${id}-count`}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_WINNERS_PER_DRAW}
          step={1}
          value={Number.isNaN(options.winnerCount) ? '' : options.winnerCount}
          onChange={(e) => onChange({ ...options, winnerCount: e.target.valueAsNumber })}
        />
      </div>
    </div>
  );
}
