import type { PhoneFieldSetting } from '@eventmanager/domain/events/schema';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../ui/Field.tsx';
import styles from './form-builder.module.css';

const PHONE_SETTINGS: readonly PhoneFieldSetting[] = ['off', 'optional', 'required'];

/**
 * The registration form's built-in identity fields, shown as fields of the form above the custom
 * questions: name and e-mail (always asked, always required) and the phone, whose setting the
 * organizer picks here — so nobody adds a second phone field as a question.
 */
export function IdentityFields({
  phone,
  onPhoneChange,
}: {
  phone: PhoneFieldSetting;
  onPhoneChange: (value: PhoneFieldSetting) => void;
}) {
  const { t } = useTranslation('identity');
  return (
    <section className="stack" aria-labelledby="identity-fields-title" data-testid="identity-fields">
      <h3 id="identity-fields-title" style={{ margin: 0 }}>
        {t('title')}
      </h3>
      <p className="muted small">{t('hint')}</p>
      <ul className={styles.list}>
        <li className={styles.item}>
          <div className="row">
            <strong>{t('name')}</strong>
            <div className="spacer" />
            <span className="badge">{t('alwaysRequired')}</span>
          </div>
        </li>
        <li className={styles.item}>
          <div className="row">
            <strong>{t('email')}</strong>
            <div className="spacer" />
            <span className="badge">{t('alwaysRequired')}</span>
          </div>
        </li>
        <li className={styles.item}>
          <Field label={t('phone')}>
            {(p) => (
              <select
                {...p}
                value={phone}
                onChange={(e) => onPhoneChange(e.target.value as PhoneFieldSetting)}
              >
                {PHONE_SETTINGS.map((s) => (
                  <option key={s} value={s}>
                    {t(`phoneSetting.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </li>
      </ul>
    </section>
  );
}
