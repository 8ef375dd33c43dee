import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import styles from './checkin.module.css';

/** "✓ synced", "offline — N waiting", "N not yet sent" + retry, and "changed on another device". */
export function SyncBanners({ session }: { session: CheckinSession }) {
  const { t } = useTranslation('checkin');
  const sync = session.sync;
  const pending = sync.pending;
  let banner: ReactElement;
  if (sync.phase === 'stalled') {
    banner = (
      <div className={styles.bannerWarn} role="alert" data-testid="sync-banner" data-state="stalled">
        <span>{t('sync.stalled', { count: pending })}</span>
        <button type="button" className="btn btn-sm btn-secondary" onClick={() => session.retrySync()}>
          {t('sync.retry')}
        </button>
      </div>
    );
  } else if (!session.online || sync.phase === 'offline') {
    banner = (
      <div className={styles.bannerOffline} role="status" data-testid="sync-banner" data-state="offline">
        {t('sync.offline', { count: pending })}
      </div>
    );
  } else if (pending > 0) {
    banner = (
      <div className={styles.bannerInfo} role="status" data-testid="sync-banner" data-state="sending">
        {t('sync.sending', { count: pending })}
      </div>
    );
  } else {
    banner = (
      <div className={styles.bannerOk} role="status" data-testid="sync-banner" data-state="synced">
        {t('sync.synced')}
      </div>
    );
  }
  return (
    <div className={styles.banners} aria-live="polite">
      {banner}
      {session.conflicts.map((c) => (
        <div
          key={c.id}
          className={styles.bannerConflict}
          role="alert"
          data-testid="conflict-banner"
          data-participant-id={c.participantId}
        >
          <span>
            {t('conflict.message', {
              name: c.participantName,
              status: t(`status.${c.status}`),
            })}
            {c.byDeviceName && ` (${c.byDeviceName})`}
          </span>
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => session.dismissConflict(c.id)}
            aria-label={t('conflict.dismiss')}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
