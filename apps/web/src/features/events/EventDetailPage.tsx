import {
  allowedTransitions,
  type EventStatus,
  PUBLICLY_VISIBLE_STATUSES,
} from '@eventmanager/domain/events/status';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  shareCodeOf,
  sharePathOf,
  useDeleteEvent,
  useEvent,
  useEventSummary,
  usePublicEvent,
  useUpdateEvent,
} from '../../api/events.ts';
import { useEventLive } from '../../api/use-event-live.ts';
import { formatEventRange, formatNumber, zoneLabelIfDifferent } from '../../i18n/format.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { EmailStatsPanel } from '../notifications/EmailStatsPanel.tsx';
import styles from './detail.module.css';
import { ShareCard } from './ShareCard.tsx';
import { StaffCard } from './StaffCard.tsx';

type PendingAction = { kind: 'status'; to: EventStatus } | { kind: 'delete' };

/** Counters follow /realtime; while the socket is down they are polled this often instead. */
const LIVE_REFRESH_MS = 5_000;

export function EventDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('events');
  const navigate = useNavigate();
  const event = useEvent(id);
  const live = useEventLive(id);
  const summary = useEventSummary(id, { refetchInterval: live ? undefined : LIVE_REFRESH_MS });
  const update = useUpdateEvent(id);
  const remove = useDeleteEvent(id);
  const errorMessage = useErrorMessage();
  const [pending, setPending] = useState<PendingAction | null>(null);
  const isPublic = event.data ? PUBLICLY_VISIBLE_STATUSES.includes(event.data.status) : false;
  const publicEvent = usePublicEvent(isPublic && event.data ? shareCodeOf(event.data) : undefined);

  if (event.isPending) return <Loading />;
  if (event.isError) {
    return (
      <div className="page">
        <ErrorState error={event.error} onRetry={() => void event.refetch()} />
      </div>
    );
  }
  const e = event.data;
  const lng = i18n.language;
  const isOrganizer = summary.data?.role !== 'staff';
  const counts = summary.data;
  const max = e.capacity.max_participants;
  const shareUrl = `${window.location.origin}${sharePathOf(e)}`;
  const zone = zoneLabelIfDifferent(e.datetime.timezone, lng);
  const links = publicEvent.data?.calendar_links;

  const confirm = () => {
    if (!pending) return;
    if (pending.kind === 'status') update.mutate({ status: pending.to });
    else remove.mutate(undefined, { onSuccess: () => navigate('/') });
    setPending(null);
  };

  return (
    <div className="page stack">
      <Link to="/" className="small">
        ← {t('detail.back')}
      </Link>
      <header className="stack" style={{ gap: 6 }}>
        <span
          className={`badge badge-${e.status}`}
          style={{ alignSelf: 'flex-start' }}
          data-testid="event-status"
        >
          {t(`status.${e.status}`)}
        </span>
        <h1>{e.name}</h1>
        <p className="muted">
          <time dateTime={e.datetime.start}>
            {formatEventRange(e.datetime.start, e.datetime.end, e.datetime.timezone, lng)}
          </time>
          {zone && <span className="small"> · {zone}</span>}
        </p>
        <p className="muted small">
          {t(`locationType.${e.location.type}`)}
          {e.location.address ? ` · ${e.location.address}` : ''}
        </p>
      </header>

      <section
        className={styles.counters}
        aria-label={t('detail.counters')}
        aria-live="polite"
        data-live={live ? 'true' : 'false'}
      >
        <div className="card">
          <span className="muted small">{t('detail.registered')}</span>
          <strong data-testid="count-registered">
            {counts ? formatNumber(counts.participant_count, lng) : '–'}
            {max ? <span className="muted"> / {formatNumber(max, lng)}</span> : null}
          </strong>
        </div>
        <div className="card">
          <span className="muted small">{t('detail.checkedIn')}</span>
          <strong data-testid="count-checked-in">
            {counts ? formatNumber(counts.checked_in_count, lng) : '–'}
          </strong>
        </div>
      </section>

      <nav className={styles.actions} aria-label={t('detail.tools')}>
        <Link className="btn btn-secondary" to={`/events/${id}/participants`}>
          {t('detail.participants')}
        </Link>
        {e.features.checkin_enabled && (
          <Link className="btn btn-secondary" to={`/events/${id}/checkin`}>
            {t('detail.checkin')}
          </Link>
        )}
        {e.features.prize_drawing_enabled && isOrganizer && (
          <Link className="btn btn-secondary" to={`/events/${id}/drawings`}>
            {t('detail.drawings')}
          </Link>
        )}
        {isOrganizer && (
          <Link className="btn btn-ghost" to={`/events/${id}/edit`}>
            {t('common:action.edit')}
          </Link>
        )}
      </nav>

      {isOrganizer && allowedTransitions(e.status).length > 0 && (
        <section className="card stack" aria-labelledby="status-title">
          <h2 id="status-title">{t('detail.statusTitle')}</h2>
          <p className="muted small">{t(`detail.statusHint.${e.status}`)}</p>
          <div className="row">
            {allowedTransitions(e.status).map((to) => (
              <button
                key={to}
                type="button"
                className={to === 'cancelled' ? 'btn btn-ghost' : 'btn'}
                onClick={() => setPending({ kind: 'status', to })}
                disabled={update.isPending}
              >
                {t(`detail.to.${to}`)}
              </button>
            ))}
          </div>
          {update.isError && (
            <p className="alert small" role="alert">
              {errorMessage(update.error)}
            </p>
          )}
        </section>
      )}

      <ShareCard url={shareUrl} disabledReason={isPublic ? undefined : t('detail.shareDraft')} />

      {links && (
        <section className="card stack" aria-labelledby="cal-title">
          <h2 id="cal-title">{t('detail.calendar')}</h2>
          <div className="row">
            <a className="btn btn-secondary btn-sm" href={links.google} target="_blank" rel="noreferrer">
              Google
            </a>
            <a className="btn btn-secondary btn-sm" href={links.outlook} target="_blank" rel="noreferrer">
              Outlook
            </a>
            <a className="btn btn-secondary btn-sm" href={links.ics}>
              {t('detail.ics')}
            </a>
            <a className="btn btn-secondary btn-sm" href={links.webcal}>
              {t('detail.subscribe')}
            </a>
          </div>
        </section>
      )}

      {isOrganizer && <StaffCard eventId={id} timeZone={e.datetime.timezone} />}

      {isOrganizer && <EmailStatsPanel eventId={id} />}

      {isOrganizer && (
        <button type="button" className="btn btn-ghost" onClick={() => setPending({ kind: 'delete' })}>
          {t('detail.delete')}
        </button>
      )}

      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'status'
            ? t(`detail.confirm.${pending.to}.title`)
            : t('detail.confirmDelete.title')
        }
        body={
          pending?.kind === 'status' ? t(`detail.confirm.${pending.to}.body`) : t('detail.confirmDelete.body')
        }
        confirmLabel={pending?.kind === 'status' ? t(`detail.to.${pending.to}`) : t('common:action.delete')}
        danger={pending?.kind === 'delete' || (pending?.kind === 'status' && pending.to === 'cancelled')}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}
