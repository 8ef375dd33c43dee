import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import styles from './checkin.module.css';

/** Recent check-ins on every device: who, what, which device, when. */
export function ActivityList({ session }: { session: CheckinSession }) {
  // The session replaces the array on every new item, so the list re-renders only when it changed.
  return <ActivityItems items={session.activity} />;
}

const ActivityItems = memo(function ActivityItems({ items: all }: { items: CheckinSession['activity'] }) {
  const { t, i18n } = useTranslation('checkin');
  const items = all.slice(0, 15);
  const time = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    [i18n.language],
  );
  return (
    <section className={styles.activity} aria-labelledby="checkin-activity-title">
      <h2 id="checkin-activity-title">{t('activity.title')}</h2>
      {items.length === 0 ? (
        <p className="muted small">{t('activity.empty')}</p>
      ) : (
        <ol data-testid="activity-list">
          {items.map((a) => (
            <li key={a.id}>
              <span className={styles.activityTime}>{time.format(a.at)}</span>{' '}
              {t(a.action === 'check_in' ? 'activity.checkedIn' : 'activity.undone', {
                name: a.participantName,
                device: a.own
                  ? t('activity.thisDevice', { name: a.deviceName ?? '' })
                  : (a.deviceName ?? t('activity.otherDevice', { id: (a.deviceId ?? '').slice(0, 8) })),
              })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});
