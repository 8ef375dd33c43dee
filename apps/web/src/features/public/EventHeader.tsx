import { mapLinks } from '@eventmanager/domain/events/map-links';
import type { PublicEvent } from '@eventmanager/domain/events/schema';
import { useTranslation } from 'react-i18next';
import { formatEventRange, zoneLabelIfDifferent } from '../../i18n/format.ts';
import styles from './public.module.css';

/** Event name, time in the event's zone, place and organizer; with the logo when branded. */
export function EventHeader({ event }: { event: PublicEvent }) {
  const { t, i18n } = useTranslation(['public', 'seats']);
  const lng = i18n.language;
  const address = event.location.type !== 'online' ? event.location.address : null;
  const maps = address ? mapLinks(address) : null;
  const contact = event.contact;
  const zone = zoneLabelIfDifferent(event.datetime.timezone, lng);
  return (
    <header className={styles.hero}>
      {event.cover_image && (
        <img
          className={styles.cover}
          src={event.cover_image.url}
          alt=""
          width={event.cover_image.width}
          height={event.cover_image.height}
          data-testid="event-cover"
        />
      )}
      {event.branding?.logo_url && (
        <img
          className={styles.logo}
          src={event.branding.logo_url}
          alt={t('logoAlt', { name: event.organizer.name })}
        />
      )}
      <h1 className={styles.title}>{event.name}</h1>
      <dl className={styles.facts}>
        <div>
          <dt>{t('when')}</dt>
          <dd>
            <time dateTime={event.datetime.start}>
              {formatEventRange(event.datetime.start, event.datetime.end, event.datetime.timezone, lng)}
            </time>
            {zone && <span className="small muted"> · {zone}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('where')}</dt>
          <dd>
            {event.location.address ?? t(`events:locationType.${event.location.type}`)}
            {event.location.type !== 'physical' && event.location.address && (
              <span className="small muted"> · {t(`events:locationType.${event.location.type}`)}</span>
            )}
            {maps && (
              <span className={styles.links} data-testid="map-links">
                <a href={maps.kakao} target="_blank" rel="noreferrer">
                  {t('seats:kakaoMap')}
                </a>
                <a href={maps.naver} target="_blank" rel="noreferrer">
                  {t('seats:naverMap')}
                </a>
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('host')}</dt>
          <dd>
            {event.organizer.name}
            {event.organizer.organization && <span className="muted"> · {event.organizer.organization}</span>}
          </dd>
        </div>
        {contact && (contact.email || contact.phone) && (
          <div>
            <dt>{t('seats:contact')}</dt>
            <dd className={styles.links} data-testid="organizer-contact">
              {contact.email && <a href={`mailto:${contact.email}`}>{contact.email}</a>}
              {contact.phone && <a href={`tel:${contact.phone.replace(/[^0-9+]/g, '')}`}>{contact.phone}</a>}
            </dd>
          </div>
        )}
      </dl>
    </header>
  );
}
