import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth.ts';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import { suggestDeviceName } from '../../offline/device.ts';
import { Modal } from '../../ui/Modal.tsx';
import styles from './checkin.module.css';

/**
 * This device's name as other staff see it in their activity lists, notices and statistics
 * ("입구 1 · 김사라"); editable. On first use the screen asks for one, suggested from the signed-in
 * person's name, so no two phones read "Android · Chrome".
 */
export function DeviceName({ session }: { session: CheckinSession }) {
  const { t } = useTranslation('checkin');
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(session.device.name);
  if (session.needsDeviceName) return <FirstName session={session} />;
  if (!editing) {
    return (
      <button
        type="button"
        className={`btn btn-ghost btn-sm ${styles.device}`}
        onClick={() => {
          setValue(session.device.name);
          setEditing(true);
        }}
        aria-label={t('device.edit')}
        data-testid="device-name"
      >
        📱 {session.device.name}
      </button>
    );
  }
  return (
    <form
      className={styles.deviceForm}
      onSubmit={(e) => {
        e.preventDefault();
        void session.renameDevice(value).then(() => setEditing(false));
      }}
    >
      <label className="sr-only" htmlFor="device-name">
        {t('device.label')}
      </label>
      <input id="device-name" value={value} maxLength={100} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="btn btn-sm btn-primary">
        {t('device.save')}
      </button>
    </form>
  );
}

function FirstName({ session }: { session: CheckinSession }) {
  const { t } = useTranslation('door');
  const me = useMe();
  const suggestion = suggestDeviceName(t('device.station'), me.data?.profile.name);
  const [value, setValue] = useState<string | null>(null);
  const shown = value ?? suggestion;
  return (
    // Closed without choosing (Esc): the suggestion is a good name, and the question is not asked again.
    <Modal
      labelledBy="device-name-title"
      onClose={() => void session.renameDevice(shown)}
      className={styles.dialog}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void session.renameDevice(shown);
        }}
        data-testid="device-name-prompt"
      >
        <h2 id="device-name-title">{t('device.title')}</h2>
        <p className="muted small">{t('device.hint')}</p>
        <label htmlFor="first-device-name">{t('device.label')}</label>
        <input
          id="first-device-name"
          value={shown}
          maxLength={100}
          required
          onChange={(e) => setValue(e.target.value)}
          data-testid="device-name-input"
        />
        <button type="submit" className="btn btn-primary" data-testid="device-name-save">
          {t('device.save')}
        </button>
      </form>
    </Modal>
  );
}
