import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePublicEvent } from '../../api/events.ts';
import { formatEventRange } from '../../i18n/format.ts';
import { IconBadge } from '../../ui/icons.tsx';
import { EmptyState } from '../../ui/states.tsx';
import styles from './public.module.css';
import { loadRegistrationResult, managePathOf } from './registration-result.ts';

/** After registering: number, status, ticket QR, calendar buttons and the manage link. */
export function RegistrationDonePage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation(['public', 'seats']);
  const result = loadRegistrationResult(code);
  const event = usePublicEvent(code);

  if (!result) {
    return (
      <main className="page">
        <EmptyState
          icon="ticket"
          title={t('done.missingTitle')}
          body={t('done.missingBody')}
          action={
            <Link className="btn" to={`/e/${code}`}>
              {t('done.back')}
            </Link>
          }
        />
      </main>
    );
  }
  const { participant, ticket_code: ticket, manage_url: manageUrl } = result;
  const status = participant.registration.status;
  const number = `#${String(participant.registration.number).padStart(3, '0')}`;
  const links = event.data?.calendar_links;

  return (
    <main className={styles.wrap}>
      <div className={styles.body} style={{ paddingTop: 56 }}>
        <section className={`card stack ${styles.ticket}`} aria-labelledby="done-title">
          {status === 'registered' ? <IconBadge name="check" tone="success" /> : <IconBadge name="clock" />}
          <h1 id="done-title" data-testid="done-title">
            {t(`done.title.${status}`, { defaultValue: t('done.title.registered') })}
          </h1>
          <p className="muted">{t(`done.body.${status}`, { defaultValue: t('done.body.registered') })}</p>
          {event.data && (
            <p>
              <strong>{event.data.name}</strong>
              <br />
              <span className="muted small">
                {formatEventRange(
                  event.data.datetime.start,
                  event.data.datetime.end,
                  event.data.datetime.timezone,
                  i18n.language,
                )}
              </span>
            </p>
          )}
          <p className="muted small" style={{ margin: 0 }}>
            {t('done.number')}
          </p>
          <p className={styles.number} data-testid="registration-number">
            {number}
          </p>
          {status === 'waitlist' && result.waitlist_position != null && (
            <p data-testid="waitlist-position">
              <strong>
                {t('seats:position')} {t('seats:positionValue', { position: result.waitlist_position })}
              </strong>
            </p>
          )}
          {status === 'registered' && (
            <>
              <img src={`/api/public/tickets/${encodeURIComponent(ticket)}/qr.svg`} alt={t('done.qrAlt')} />
              <p className="muted small">{t('done.qrHint')}</p>
            </>
          )}
        </section>
        {links && (
          <section className="card stack" aria-labelledby="cal-title">
            <h2 id="cal-title">{t('done.calendar')}</h2>
            <div className="row">
              <a className="btn btn-secondary btn-sm" href={links.google} target="_blank" rel="noreferrer">
                Google
              </a>
              <a className="btn btn-secondary btn-sm" href={links.outlook} target="_blank" rel="noreferrer">
                Outlook
              </a>
              <a className="btn btn-secondary btn-sm" href={links.ics}>
                Apple / iCal
              </a>
            </div>
          </section>
        )}
        <section className="card stack" aria-labelledby="manage-title">
          <h2 id="manage-title">{t('done.manageTitle')}</h2>
          <p className="muted small">{t('done.manageBody')}</p>
          <Link className="btn btn-secondary" to={managePathOf(manageUrl)} data-testid="manage-link">
            {t('done.manage')}
          </Link>
        </section>
      </div>
    </main>
  );
}
