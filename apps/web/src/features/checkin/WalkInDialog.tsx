import { validateCustomResponses } from '@eventmanager/domain/participants/custom-responses';
import { normalizePhone } from '@eventmanager/domain/participants/phone';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import { Field } from '../../ui/Field.tsx';
import { type CustomAnswers, CustomFields } from '../../ui/form/CustomFields.tsx';
import { Modal } from '../../ui/Modal.tsx';
import styles from './checkin.module.css';
import { feedback } from './feedback.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * 현장 등록: someone at the desk who never registered is added and checked in in one step — offline
 * too (the session queues it like a check-in). The event's questions are asked as on the public
 * form; the server checks them again.
 */
export function WalkInDialog({ session, onClose }: { session: CheckinSession; onClose: () => void }) {
  const { t } = useTranslation('door');
  const fields = session.formFields ?? [];
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [answers, setAnswers] = useState<CustomAnswers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t('walkIn.required');
    if (email.trim() && !EMAIL.test(email.trim())) found.email = t('walkIn.invalid');
    if (phone.trim() && !normalizePhone(phone)) found.phone = t('walkIn.invalid');
    const checked = validateCustomResponses(fields, answers);
    for (const error of checked.errors) {
      const id = error.path.split('.').pop() ?? error.path;
      found[id] =
        answers[id] === undefined || answers[id] === '' ? t('walkIn.required') : t('walkIn.invalid');
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const record = session.walkIn({
      name,
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      customResponses: checked.value,
    });
    feedback.checkedIn();
    setDone(record.name);
    setName('');
    setEmail('');
    setPhone('');
    setAnswers({});
  };

  return (
    <Modal labelledBy="walk-in-title" onClose={onClose} className={styles.dialog}>
      <form onSubmit={submit} noValidate data-testid="walk-in-form">
        <h2 id="walk-in-title">{t('walkIn.title')}</h2>
        {!session.online && <p className="muted small">{t('walkIn.offline')}</p>}
        {session.formFields === null && <p className="muted small">{t('walkIn.noForm')}</p>}
        {done && (
          <p className={styles.scanOk} role="status" data-testid="walk-in-done">
            {t('walkIn.done', { name: done })}
          </p>
        )}
        <Field label={t('walkIn.name')} required error={errors.name}>
          {(props) => (
            <input
              {...props}
              value={name}
              maxLength={100}
              autoComplete="off"
              onChange={(ev) => setName(ev.target.value)}
              data-testid="walk-in-name"
            />
          )}
        </Field>
        <Field label={t('walkIn.phone')} error={errors.phone}>
          {(props) => (
            <input
              {...props}
              type="tel"
              inputMode="tel"
              value={phone}
              onChange={(ev) => setPhone(ev.target.value)}
              data-testid="walk-in-phone"
            />
          )}
        </Field>
        <Field label={t('walkIn.email')} error={errors.email}>
          {(props) => (
            <input
              {...props}
              type="email"
              inputMode="email"
              value={email}
              onChange={(ev) => setEmail(ev.target.value)}
              data-testid="walk-in-email"
            />
          )}
        </Field>
        <CustomFields
          fields={fields}
          values={answers}
          onChange={(id, value) => setAnswers((a) => ({ ...a, [id]: value }))}
          errors={errors}
          idPrefix="walk-in"
        />
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('walkIn.close')}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="walk-in-submit">
            {t('walkIn.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
