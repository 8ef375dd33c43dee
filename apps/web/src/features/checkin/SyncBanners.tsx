import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import styles from './checkin.module.css';

/** "✓ synced", "offline — N waiting", "N not yet sent" + retry, and "changed on another device". */
export function SyncBanners({ session }: { session: CheckinSession }) {
  const { t } = useTranslation('checkin');
  const { t: td } = useTranslation('door');
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
          <span data-same-device={c.sameDevice ? 'true' : 'false'}>
            {c.sameDevice ? (
              td('conflict.sameDevice', { name: c.participantName })
            ) : (
              <>
                {t('conflict.message', {
                  name: c.participantName,
                  status: t(`status.${c.status}`),
                })}
                {c.byDeviceName && ` (${c.byDeviceName})`}
              </>
            )}
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
      {session.refusals.map((r) => (
        <div
          key={r.id}
          className={styles.bannerRefused}
          role="alert"
          data-testid="refusal-banner"
          data-kind={r.kind}
          data-participant-id={r.participantId}
        >
          <span>
            {r.kind === 'not_admitted'
              ? td('refusal.notAdmitted', {
                  name: r.participantName,
                  status: td(`registration.${r.registrationStatus ?? 'cancelled'}`, {
                    defaultValue: r.registrationStatus ?? '',
                  }),
                })
              : td('refusal.walkIn', {
                  name: r.participantName,
                  reason: td(
                    `refusal.codes.${r.code === 'already_registered' ? 'already_registered' : 'other'}`,
                  ),
                })}
          </span>
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => session.dismissRefusal(r.id)}
            aria-label={td('refusal.dismiss')}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
