import type { EventListItem } from '@eventmanager/domain/events/schema';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useEvents } from '../../api/events.ts';
import { formatEventDateTime, formatNumber } from '../../i18n/format.ts';
import { EmptyState, ErrorState, Loading } from '../../ui/states.tsx';
import styles from './dashboard.module.css';

export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const events = useEvents();

  return (
    <div className="page stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>{t('title')}</h1>
        <div className="spacer" />
        {events.data && events.data.length > 0 && (
          <Link className="btn btn-sm" to="/events/new">
            {t('create')}
          </Link>
        )}
      </div>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.length === 0 ? (
        <EmptyState
          icon="calendar"
          title={t('empty.title')}
          body={t('empty.body')}
          action={
            <Link className="btn" to="/events/new">
              {t('empty.action')}
            </Link>
          }
        />
      ) : (
        <ul className={styles.list}>
          {[...events.data]
            .sort((a, b) => Date.parse(a.datetime.start) - Date.parse(b.datetime.start))
            .map((event) => (
              <li key={event.id}>
                <EventCard event={event} />
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

function EventCard({ event }: { event: EventListItem }) {
  const { t, i18n } = useTranslation('dashboard');
  const lng = i18n.language;
  const max = event.capacity.max_participants;
  const ratio = max ? Math.min(1, event.participant_count / max) : 0;
  return (
    <Link to={`/events/${event.id}`} className={`card ${styles.card}`} data-testid="event-card">
      <div className="row">
        <span className={`badge badge-${event.status}`}>{t(`status.${event.status}`, { ns: 'events' })}</span>
        {event.role === 'staff' && <span className="badge">{t('staff')}</span>}
      </div>
      <h2 className={styles.name}>{event.name}</h2>
      <p className="muted small">
        <time dateTime={event.datetime.start}>
          {formatEventDateTime(event.datetime.start, event.datetime.timezone, lng)}
        </time>
      </p>
      <dl className={styles.stats}>
        <div>
          <dt>{t('registered')}</dt>
          <dd>
            {formatNumber(event.participant_count, lng)}
            {max ? <span className="muted"> / {formatNumber(max, lng)}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('checkedIn')}</dt>
          <dd>{formatNumber(event.checked_in_count, lng)}</dd>
        </div>
      </dl>
      {max ? (
        <div className={styles.bar} aria-hidden="true">
          <span style={{ width: `${ratio * 100}%` }} />
        </div>
      ) : null}
    </Link>
  );
}
