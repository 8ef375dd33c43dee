import type { VerificationResult } from '@eventmanager/domain/drawings/verifiable-draw';
import { verifyDrawing } from '@eventmanager/domain/drawings/verifiable-draw';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { getSession } from '../../api/session.ts';
import { hasStoredLanguage, showInLanguage } from '../../i18n/index.ts';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { formatRegistrationNumber } from './announcement-card.ts';
import { useVerification } from './drawings.api.ts';
import styles from './drawings.module.css';

/**
 * Public: recomputes a drawing in this browser with the same domain function the server used, from
 * the revealed seed and the published pool, and says whether everything matches — every winner of
 * a several-winner draw, in order. Names come masked from the server (the page is public).
 */
export function VerifyPage() {
  const { id } = useParams();
  const { t } = useTranslation('drawings');
  const record = useVerification(id);
  const [result, setResult] = useState<VerificationResult | null>(null);

  // A guest sees the event's language; someone who chose a language on this device, or is signed
  // in (their account's language already applies), keeps theirs.
  const eventLanguage = record.data?.event_language;
  useEffect(() => {
    if (eventLanguage && !hasStoredLanguage() && !getSession()) void showInLanguage(eventLanguage);
  }, [eventLanguage]);

  useEffect(() => {
    const v = record.data;
    if (!v) return;
    let cancelled = false;
    void verifyDrawing({
      seed: v.seed,
      seed_hash: v.seed_hash,
      pool: v.pool,
      pool_hash: v.pool_hash,
      winner: v.winner.registration_number,
      winners: v.winners.map((w) => w.registration_number),
    }).then((r) => {
      if (!cancelled) setResult(r);
    });
    return () => {
      cancelled = true;
    };
  }, [record.data]);

  if (record.isPending) return <Loading />;
  if (record.isError) return <ErrorState error={record.error} />;
  const v = record.data;
  const check = (ok: boolean | undefined) => (ok === undefined ? '…' : ok ? '✓' : '✗');

  return (
    <div className="page stack">
      <h1>{t('verify.title')}</h1>
      <p className="muted" data-testid="verify-event">
        {v.event_name}
        {v.prize && ` · ${t('verify.prize')}: ${v.prize}`}
      </p>
      <div className="card stack" aria-live="polite" data-testid="verify-result">
        <h2 style={{ margin: 0 }}>
          {result === null
            ? t('verify.checking')
            : result.valid
              ? `✓ ${t('verify.valid')}`
              : `✗ ${t('verify.invalid')}`}
        </h2>
        {v.winners.length === 1 ? (
          <p data-testid="verify-winners">
            {t('verify.winner')}: <strong>{v.winner.participant_name}</strong>{' '}
            {formatRegistrationNumber(v.winner.registration_number)}
          </p>
        ) : (
          <div>
            <p style={{ margin: 0 }}>{t('verify.winners', { count: v.winners.length })}</p>
            <ol data-testid="verify-winners" style={{ margin: 0 }}>
              {v.winners.map((w) => (
                <li key={w.registration_number}>
                  <strong>{w.participant_name}</strong> {formatRegistrationNumber(w.registration_number)}
                </li>
              ))}
            </ol>
          </div>
        )}
        <p className="muted small" style={{ margin: 0 }}>
          {t('verify.maskedNote')}
        </p>
        <ul className="small" style={{ margin: 0 }}>
          <li>
            {check(result?.seedMatchesHash)} {t('verify.checkSeed')}
          </li>
          <li>
            {check(result?.poolMatchesHash)} {t('verify.checkPool')}
          </li>
          <li>
            {check(result?.winnerMatches)}{' '}
            {v.winners.length === 1 ? t('verify.checkWinner') : t('verify.checkWinners')}
          </li>
        </ul>
      </div>
      <div className="card stack">
        <dl className="stack" style={{ margin: 0 }}>
          <dt className="label">{t('verify.seedHash')}</dt>
          <dd className={styles.hash}>{v.seed_hash}</dd>
          <dt className="label">{t('verify.seed')}</dt>
          <dd className={styles.hash}>{v.seed}</dd>
          <dt className="label">{t('verify.pool', { count: v.pool_size })}</dt>
          <dd className={styles.hash}>{v.pool.join(',')}</dd>
          <dt className="label">{t('verify.poolHash')}</dt>
          <dd className={styles.hash}>{v.pool_hash}</dd>
          <dt className="label">{t('verify.algorithm')}</dt>
          <dd className={styles.hash}>{v.algorithm_description}</dd>
        </dl>
        {v.winners.length > 1 && (
          <p className="small" data-testid="verify-many">
            {t('verify.manyWinners', { count: v.winners.length })}
          </p>
        )}
        <p className="muted small">{t('verify.howTo')}</p>
      </div>
    </div>
  );
}
