import type { EmailJob } from '@eventmanager/domain/notifications/schema';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEmailJobs, useRetryEmail } from '../../api/notifications.ts';
import { ApiError } from '../../api/problem.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useErrorMessage } from '../../ui/states.tsx';
import styles from './notifications.module.css';

/** The newest failed mails shown; more than this is a mass failure better fixed at the cause. */
const FAILED_LIMIT = 50;

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; text: string };

/** Failed mails with the error the mail server gave, each with a button that queues it again. */
export function FailedEmailList({ eventId, failedCount }: { eventId: string; failedCount: number }) {
  const { t, i18n } = useTranslation('notifications');
  const errorMessage = useErrorMessage();
  // The count versions the cache entry, so a new failure seen by the stats poll refreshes the list.
  const failed = useEmailJobs(
    eventId,
    { status: 'failed', limit: FAILED_LIMIT },
    { enabled: failedCount > 0, version: failedCount },
  );
  const retry = useRetryEmail(eventId);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const send = (job: EmailJob) => {
    setOutcome(null);
    retry.mutate(job.id, {
      onSuccess: () => setOutcome({ kind: 'ok', text: t('failed.retried', { recipient: job.recipient }) }),
      onError: (err) =>
        setOutcome({
          kind: 'error',
          text: err instanceof ApiError && err.status === 409 ? t('failed.notFailed') : errorMessage(err),
        }),
    });
  };

  return (
    <>
      {/* Mounted even with no failures left, so the outcome of the last retry stays and is announced. */}
      <div aria-live="polite" className={styles.live}>
        {outcome && (
          <p className={outcome.kind === 'ok' ? 'alert alert-success small' : 'alert small'} role="status">
            {outcome.text}
          </p>
        )}
      </div>
      {failedCount > 0 && (
        <section className="stack" aria-labelledby="emails-failed-title" style={{ gap: 8 }}>
          <h3 id="emails-failed-title">{t('failed.title')}</h3>
          <p className="muted small">{t('failed.hint')}</p>
          {failed.isError && (
            <p className="alert small" role="alert">
              {t('failed.loadError')} {errorMessage(failed.error)}
            </p>
          )}
          {failed.data && (
            <ul className={styles.list} aria-label={t('failed.list')}>
              {failed.data.map((job) => {
                const type = t(`type.${job.type}`);
                const busy = retry.isPending && retry.variables === job.id;
                const action = busy ? t('failed.retrying') : t('failed.retry');
                return (
                  <li key={job.id} className={styles.failedRow} data-testid="email-failed-job">
                    <div className="stack" style={{ gap: 4, minWidth: 0 }}>
                      <strong className={styles.recipient}>{job.recipient}</strong>
                      <span className="small">
                        {type} ·{' '}
                        {t('failed.attempts', { n: formatNumber(job.retry_count + 1, i18n.language) })}
                      </span>
                      <p className={`small ${styles.error}`}>{job.last_error ?? t('failed.noError')}</p>
                    </div>
                    <div className={styles.jobActions}>
                      <button
                        type="button"
                        className="btn btn-secondary btn-sm"
                        onClick={() => send(job)}
                        disabled={retry.isPending}
                        // The name starts with the visible text (label in name) and says which mail it is.
                        aria-label={t('failed.retryLabel', { action, type, recipient: job.recipient })}
                      >
                        {action}
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          {failedCount > FAILED_LIMIT && (
            <p className="muted small">
              {t('failed.more', { n: formatNumber(FAILED_LIMIT, i18n.language) })}
            </p>
          )}
        </section>
      )}
    </>
  );
}
