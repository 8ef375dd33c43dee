import type { PublicEvent } from '@eventmanager/domain/events/schema';
import { useTranslation } from 'react-i18next';
import { formatEventDateTime } from '../../i18n/format.ts';
import styles from './public.module.css';

/**
 * Seats and deadline at a glance, above the form: seats left, "full · waitlist" when a full event
 * takes waitlist registrations, "full" when it takes none, and when registration closes.
 */
export function SeatsCard({ event }: { event: PublicEvent }) {
  const { t, i18n } = useTranslation('seats');
  const { availability: a, registration } = event;
  const seats = a.is_full
    ? a.waitlist_open
      ? t('fullWaitlist')
      : t('full')
    : a.seats_left === null
      ? null
      : t('seatsLeft', { count: a.seats_left });
  if (!seats && !registration.deadline) return null;
  return (
    <section className={`card ${styles.seats}`} aria-label={t('seats')}>
      <dl className={styles.facts}>
        {seats && (
          <div>
            <dt>{t('seats')}</dt>
            <dd data-testid="seats" className={a.is_full ? styles.seatsFull : undefined}>
              {seats}
            </dd>
          </div>
        )}
        {registration.deadline && (
          <div>
            <dt>{t('deadline')}</dt>
            <dd data-testid="deadline">
              <time dateTime={registration.deadline}>
                {formatEventDateTime(registration.deadline, event.datetime.timezone, i18n.language)}
              </time>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
