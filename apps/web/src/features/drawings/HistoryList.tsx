import type { PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatRegistrationNumber } from './announcement-card.ts';
import styles from './drawings.module.css';

const BADGE: Record<PrizeDrawing['status'], string> = {
  drawn: 'badge badge-pending',
  confirmed: 'badge badge-checked_in',
  discarded: 'badge badge-cancelled',
};

/** Every draw of the event, newest first, each with its verification page. */
export function HistoryList({ items }: { items: PrizeDrawing[] }) {
  const { t, i18n } = useTranslation('drawings');
  if (items.length === 0) return <p className="muted">{t('history.empty')}</p>;
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <ol className={styles.history} data-testid="drawing-history">
      {items.map((d) => (
        <li key={d.id} className={styles.historyItem} data-status={d.status}>
          <div className="row">
            {d.prize && <span className="badge">{d.prize}</span>}
            {d.winners.map((w) => (
              <span key={w.participant_id} className="row" style={{ gap: 4 }}>
                <strong className={d.status === 'discarded' ? styles.struck : undefined}>
                  {w.participant_name}
                </strong>
                <span className="muted">{formatRegistrationNumber(w.registration_number)}</span>
              </span>
            ))}
            <span className={BADGE[d.status]}>{t(`status.${d.status}`)}</span>
            {d.announcement_shared && <span className="badge">{t('history.shared')}</span>}
          </div>
          <div className="row muted small">
            <time dateTime={d.drawn_at}>{time.format(new Date(d.drawn_at))}</time>
            <span>{t('history.poolSize', { count: d.pool_size })}</span>
            <Link to={`/drawings/${d.id}/verify`}>{t('history.verify')}</Link>
          </div>
        </li>
      ))}
    </ol>
  );
}
