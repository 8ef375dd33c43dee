import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import styles from './public.module.css';

export interface ConsentState {
  privacy: boolean;
  age14: boolean;
  marketing: boolean;
}

/**
 * PIPA-style consent: each item is its own checkbox with its full text (purpose, items, retention,
 * the right to refuse and what refusing means). "Agree to all" ticks them all but they stay separate.
 */
export function ConsentSection({
  value,
  onChange,
  organizer,
  error,
}: {
  value: ConsentState;
  onChange: (next: ConsentState) => void;
  organizer: string;
  error?: string | undefined;
}) {
  const { t } = useTranslation('public');
  const all = value.privacy && value.age14 && value.marketing;
  return (
    <fieldset className={styles.consents} aria-describedby={error ? 'consent-error' : undefined}>
      <legend className="label">{t('consent.title')}</legend>
      <label className={`check ${styles.agreeAll}`}>
        <input
          type="checkbox"
          checked={all}
          onChange={(e) =>
            onChange({ privacy: e.target.checked, age14: e.target.checked, marketing: e.target.checked })
          }
          data-testid="consent-all"
        />
        <strong>{t('consent.all')}</strong>
      </label>
      <ConsentItem
        checked={value.privacy}
        onChange={(v) => onChange({ ...value, privacy: v })}
        label={t('consent.privacy.label')}
        required
        testId="consent-privacy"
      >
        <dl className={styles.terms}>
          <dt>{t('consent.privacy.recipientTitle')}</dt>
          <dd>{t('consent.privacy.recipient', { organizer })}</dd>
          <dt>{t('consent.privacy.purposeTitle')}</dt>
          <dd>{t('consent.privacy.purpose')}</dd>
          <dt>{t('consent.privacy.itemsTitle')}</dt>
          <dd>{t('consent.privacy.items')}</dd>
          <dt>{t('consent.privacy.retentionTitle')}</dt>
          <dd>{t('consent.privacy.retention')}</dd>
        </dl>
        <p>{t('consent.privacy.refuse')}</p>
      </ConsentItem>
      <ConsentItem
        checked={value.age14}
        onChange={(v) => onChange({ ...value, age14: v })}
        label={t('consent.age14.label')}
        required
        testId="consent-age14"
      >
        <p>{t('consent.age14.text')}</p>
      </ConsentItem>
      <ConsentItem
        checked={value.marketing}
        onChange={(v) => onChange({ ...value, marketing: v })}
        label={t('consent.marketing.label')}
        testId="consent-marketing"
      >
        <dl className={styles.terms}>
          <dt>{t('consent.privacy.purposeTitle')}</dt>
          <dd>{t('consent.marketing.purpose', { organizer })}</dd>
          <dt>{t('consent.privacy.itemsTitle')}</dt>
          <dd>{t('consent.marketing.items')}</dd>
          <dt>{t('consent.privacy.retentionTitle')}</dt>
          <dd>{t('consent.marketing.retention')}</dd>
        </dl>
        <p>{t('consent.marketing.refuse')}</p>
      </ConsentItem>
      {error && (
        <p id="consent-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function ConsentItem({
  checked,
  onChange,
  label,
  required,
  testId,
  children,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  required?: boolean;
  testId: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation('public');
  const [open, setOpen] = useState(false);
  const textId = useId();
  return (
    <div className={styles.consentItem}>
      <div className="row" style={{ flexWrap: 'nowrap' }}>
        <label className="check" style={{ flex: 1 }}>
          <input
            type="checkbox"
            checked={checked}
            aria-required={required || undefined}
            onChange={(e) => onChange(e.target.checked)}
            data-testid={testId}
          />
          <span>
            <span className={required ? styles.req : styles.opt}>
              {required ? t('consent.required') : t('consent.optional')}
            </span>{' '}
            {label}
          </span>
        </label>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-expanded={open}
          aria-controls={textId}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('consent.hide') : t('consent.show')}
        </button>
      </div>
      <div id={textId} hidden={!open} className={styles.consentText}>
        {children}
      </div>
    </div>
  );
}
