import {
  type EmailStats,
  type MailCounts,
  type MailType,
  mailTypeSchema,
} from '@eventmanager/domain/notifications/schema';
import { useTranslation } from 'react-i18next';
import { useEmailStats } from '../../api/notifications.ts';
import { ApiError } from '../../api/problem.ts';
import { formatNumber } from '../../i18n/format.ts';
import { Loading, useErrorMessage } from '../../ui/states.tsx';
import { FailedEmailList } from './FailedEmailList.tsx';
import styles from './notifications.module.css';

type BulkSend = EmailStats['bulk_sends'][number];
type TypeRow = { type: MailType; counts: MailCounts | undefined; bulk: BulkSend | undefined };

/** Mail sent to many participants at once (an organizer's message too): these get a progress bar. */
const BULK_TYPES: ReadonlySet<MailType> = new Set([
  'reminder_1d',
  'reminder_3h',
  'thank_you',
  'organizer_message',
]);

/**
 * The organizer's view of the event's e-mail: how much is waiting, sent and failed per type, how far a
 * bulk send has come, and the failed mails with their error and a retry. Staff are refused by the
 * server (403); the panel then renders nothing rather than an error the staff member cannot act on.
 */
export function EmailStatsPanel({ eventId }: { eventId: string }) {
  const { t } = useTranslation('notifications');
  const errorMessage = useErrorMessage();
  const stats = useEmailStats(eventId);

  if (stats.isError && stats.error instanceof ApiError && stats.error.status === 403) return null;

  return (
    <section className="card stack" aria-labelledby="emails-title" data-testid="email-stats">
      <h2 id="emails-title">{t('panel.title')}</h2>
      <p className="muted small">{t('panel.hint')}</p>
      {stats.isPending ? (
        <Loading label={t('panel.loading')} />
      ) : stats.isError ? (
        <div className="alert small stack" role="alert">
          <span>
            {t('panel.loadError')} {errorMessage(stats.error)}
          </span>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            style={{ alignSelf: 'flex-start' }}
            onClick={() => void stats.refetch()}
          >
            {t('common:action.retry')}
          </button>
        </div>
      ) : (
        <StatsBody eventId={eventId} stats={stats.data} />
      )}
    </section>
  );
}

function StatsBody({ eventId, stats }: { eventId: string; stats: EmailStats }) {
  const { t, i18n } = useTranslation('notifications');
  const n = (v: number) => formatNumber(v, i18n.language);
  const rows = typeRows(stats);
  if (rows.length === 0) return <p className="muted">{t('panel.empty')}</p>;
  const { totals } = stats;

  return (
    <>
      {/* aria-live: the 10-second refresh announces new totals without moving focus. */}
      <dl className={styles.totals} aria-label={t('panel.totals')} aria-live="polite">
        <div>
          <dt>{t('count.queued')}</dt>
          <dd data-testid="email-total-queued">{n(totals.queued + totals.sending)}</dd>
        </div>
        <div>
          <dt>{t('count.sent')}</dt>
          <dd data-testid="email-total-sent">{n(totals.sent)}</dd>
        </div>
        <div>
          <dt>{t('count.failed')}</dt>
          <dd data-testid="email-total-failed" className={totals.failed > 0 ? styles.danger : undefined}>
            {n(totals.failed)}
          </dd>
        </div>
      </dl>

      <h3>{t('panel.byType')}</h3>
      <ul className={styles.list}>
        {rows.map((row) => (
          <TypeItem key={row.type} row={row} />
        ))}
      </ul>

      <FailedEmailList eventId={eventId} failedCount={totals.failed} />
    </>
  );
}

function TypeItem({ row }: { row: TypeRow }) {
  const { t, i18n } = useTranslation('notifications');
  const n = (v: number) => formatNumber(v, i18n.language);
  const c = row.counts ?? { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
  const label = t(`type.${row.type}`);
  const total = c.queued + c.sending + c.sent + c.failed + c.cancelled;
  // Processed = no longer waiting, whatever the outcome: that is how far the send has come.
  const done = c.sent + c.failed + c.cancelled;

  return (
    <li data-testid={`email-type-${row.type}`}>
      <h4>{label}</h4>
      <span className="small">
        {t('countLine', { queued: n(c.queued + c.sending), sent: n(c.sent), failed: n(c.failed) })}
        {c.cancelled > 0 && ` · ${t('cancelledLine', { n: n(c.cancelled) })}`}
      </span>
      {BULK_TYPES.has(row.type) && total > 0 && (
        <>
          <progress
            className={styles.progress}
            max={total}
            value={done}
            aria-label={t('progress.label', { type: label })}
            aria-valuetext={t('progress.text', { done: n(done), total: n(total) })}
          />
          <span className="muted small">{t('progress.text', { done: n(done), total: n(total) })}</span>
        </>
      )}
      {row.bulk && (
        <span className="muted small">{t(`bulk.${row.bulk.status}`, { n: n(row.bulk.recipients) })}</span>
      )}
    </li>
  );
}

/** Every type that has mail or a planned bulk send, in the order of the mail type list; latest bulk send per kind. */
function typeRows(stats: EmailStats): TypeRow[] {
  const counts = new Map(stats.by_type.map((c) => [c.type, c]));
  const bulk = new Map<MailType, BulkSend>();
  for (const b of stats.bulk_sends) {
    const prev = bulk.get(b.kind);
    if (!prev || prev.created_at <= b.created_at) bulk.set(b.kind, b);
  }
  return mailTypeSchema.options
    .filter((type) => counts.has(type) || bulk.has(type))
    .map((type) => ({ type, counts: counts.get(type), bulk: bulk.get(type) }));
}
