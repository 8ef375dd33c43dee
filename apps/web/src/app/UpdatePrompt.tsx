import { useRegisterSW } from 'virtual:pwa-register/react';
import { useTranslation } from 'react-i18next';

/** When a new version's service worker is waiting, offer a reload instead of switching mid-task. */
export function UpdatePrompt() {
  const { t } = useTranslation();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW();
  if (!needRefresh) return null;
  return (
    <div
      role="status"
      className="card row"
      style={{
        position: 'fixed',
        left: 12,
        right: 12,
        bottom: 84,
        zIndex: 20,
        maxWidth: 480,
        margin: '0 auto',
      }}
    >
      <span style={{ flex: 1 }}>{t('pwa.updateAvailable')}</span>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNeedRefresh(false)}>
        {t('pwa.later')}
      </button>
      <button type="button" className="btn btn-sm" onClick={() => void updateServiceWorker(true)}>
        {t('pwa.reload')}
      </button>
    </div>
  );
}
