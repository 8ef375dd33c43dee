import type { FormField } from '@eventmanager/domain/events/form-field';
import { organizerAddInputSchema } from '@eventmanager/domain/participants/participant.schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddParticipant } from '../../api/participants.ts';
import { ApiError } from '../../api/problem.ts';
import { Field } from '../../ui/Field.tsx';
import { CustomFields } from '../../ui/form/CustomFields.tsx';
import { checkCustomAnswers } from '../../ui/form/custom-answers.ts';
import { Modal } from '../../ui/Modal.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import { serverPathToKey } from '../public/server-paths.ts';
import styles from './participants.module.css';

/** The organizer adds someone by hand (source "direct"); consent was collected outside the app. */
export function AddParticipantDialog({
  eventId,
  fields,
  onClose,
}: {
  eventId: string;
  fields: readonly FormField[];
  onClose: () => void;
}) {
  const { t } = useTranslation('participants');
  const add = useAddParticipant(eventId);
  const errorMessage = useErrorMessage();
  const [form, setForm] = useState({ name: '', email: '', phone: '' });
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const custom = checkCustomAnswers(fields, answers, t);
    const next: Record<string, string> = {};
    for (const [id, m] of Object.entries(custom.errors)) next[`cf.${id}`] = m;
    const parsed = organizerAddInputSchema.safeParse({
      identity: { name: form.name, email: form.email, ...(form.phone.trim() ? { phone: form.phone } : {}) },
      custom_responses: custom.value,
    });
    if (!parsed.success) {
      for (const [path, m] of Object.entries(zodFieldErrors(parsed.error, t))) {
        const key = serverPathToKey(path);
        next[key] = key === 'phone' ? t('common:validation.phone') : m;
      }
    }
    setErrors(next);
    if (!parsed.success || Object.keys(next).length) return;
    add.mutate(parsed.data, {
      onSuccess: onClose,
      onError: (err) => {
        if (err instanceof ApiError && err.status === 409) return setErrors({ email: t('duplicate') });
        if (err instanceof ApiError) {
          const mapped: Record<string, string> = {};
          for (const [path, m] of Object.entries(err.fieldErrors)) mapped[serverPathToKey(path)] = m;
          setErrors(mapped);
        }
      },
    });
  };

  return (
    <Modal labelledBy="add-title" onClose={onClose} className={styles.dialog}>
      <form className="stack" onSubmit={submit} noValidate>
        <h2 id="add-title">{t('add')}</h2>
        <Field label={t('public:form.name')} error={errors.name} required>
          {(p) => (
            <input
              {...p}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('public:form.email')} error={errors.email} required>
          {(p) => (
            <input
              {...p}
              type="email"
              value={form.email}
              onChange={(e) => setForm((f) => ({ ...f, email: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('public:form.phone')} error={errors.phone}>
          {(p) => (
            <input
              {...p}
              type="tel"
              value={form.phone}
              onChange={(e) => setForm((f) => ({ ...f, phone: e.target.value }))}
            />
          )}
        </Field>
        <CustomFields
          fields={fields}
          values={answers}
          idPrefix="add"
          errors={Object.fromEntries(
            Object.entries(errors)
              .filter(([k]) => k.startsWith('cf.'))
              .map(([k, v]) => [k.slice(3), v]),
          )}
          onChange={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))}
        />
        {add.isError && !Object.keys(errors).length && (
          <p className="alert" role="alert">
            {errorMessage(add.error)}
          </p>
        )}
        <div className="row">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common:action.cancel')}
          </button>
          <button type="submit" className="btn" style={{ flex: 1 }} disabled={add.isPending}>
            {t('addSubmit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
