import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import styles from './checkin.module.css';

/** Shown when the server speaks another protocol version than this app: only a reload helps. */
export function ReloadBanner({ session }: { session: CheckinSession }) {
  const { t } = useTranslation('protocol');
  if (session.protocolMismatch === null) return null;
  return (
    <div className={styles.bannerWarn} role="alert" data-testid="reload-banner">
      <span>{t('reload.message')}</span>
      <button type="button" className="btn btn-sm btn-primary" onClick={() => window.location.reload()}>
        {t('reload.button')}
      </button>
    </div>
  );
}
