import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import styles from './checkin.module.css';

/** This device's name as other staff see it in their activity lists ("김사라의 iPhone"); editable. */
export function DeviceName({ session }: { session: CheckinSession }) {
  const { t } = useTranslation('checkin');
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(session.device.name);
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
