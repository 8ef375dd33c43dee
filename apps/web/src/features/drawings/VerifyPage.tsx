import type { VerificationResult } from '@eventmanager/domain/drawings/verifiable-draw';
import { verifyDrawing } from '@eventmanager/domain/drawings/verifiable-draw';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { formatRegistrationNumber } from './announcement-card.ts';
import { useVerification } from './drawings.api.ts';
import styles from './drawings.module.css';

/**
 * Public: recomputes a drawing in this browser with the same domain function the server used, from
 * the revealed seed and the published pool, and says whether everything matches.
 */
export function VerifyPage() {
  const { id } = useParams();
  const { t } = useTranslation('drawings');
  const record = useVerification(id);
  const [result, setResult] = useState<VerificationResult | null>(null);

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
      <div className="card stack" aria-live="polite" data-testid="verify-result">
        <h2 style={{ margin: 0 }}>
          {result === null
            ? t('verify.checking')
            : result.valid
              ? `✓ ${t('verify.valid')}`
              : `✗ ${t('verify.invalid')}`}
        </h2>
        <p>
          {t('verify.winner')}: <strong>{v.winner.participant_name}</strong>{' '}
          {formatRegistrationNumber(v.winner.registration_number)}
        </p>
        <ul className="small" style={{ margin: 0 }}>
          <li>
            {check(result?.seedMatchesHash)} {t('verify.checkSeed')}
          </li>
          <li>
            {check(result?.poolMatchesHash)} {t('verify.checkPool')}
          </li>
          <li>
            {check(result?.winnerMatches)} {t('verify.checkWinner')}
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
        <p className="muted small">{t('verify.howTo')}</p>
      </div>
    </div>
  );
}
