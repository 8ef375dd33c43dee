import type { FormField } from '@eventmanager/domain/events/form-field';
import {
  organizerAddInputSchema,
  type Participant,
} from '@eventmanager/domain/participants/participant.schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddParticipant, usePatchParticipant } from '../../api/participants.ts';
import { ApiError } from '../../api/problem.ts';
import { Field } from '../../ui/Field.tsx';
import { CustomFields } from '../../ui/form/CustomFields.tsx';
import { checkCustomAnswers } from '../../ui/form/custom-answers.ts';
import { Modal } from '../../ui/Modal.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import { serverPathToKey } from '../public/server-paths.ts';
import styles from './participants.module.css';

/**
 * The organizer adds someone by hand (source "direct"; consent was collected outside the app), or
 * edits `participant`: the phone shows masked, so it is only sent when typed anew; answers to
 * questions no longer on the form stay as they are (the server keeps them).
 */
export function AddParticipantDialog({
  eventId,
  fields,
  participant,
  onClose,
}: {
  eventId: string;
  fields: readonly FormField[];
  participant?: Participant;
  onClose: () => void;
}) {
  const { t } = useTranslation('participants');
  const add = useAddParticipant(eventId);
  const patch = usePatchParticipant(eventId);
  const save = participant ? patch : add;
  const errorMessage = useErrorMessage();
  const [form, setForm] = useState({
    name: participant?.identity.name ?? '',
    email: participant?.identity.email ?? '',
    phone: '',
  });
  const [answers, setAnswers] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(
      fields.flatMap((f) =>
        participant && f.id in participant.custom_responses
          ? [[f.id, participant.custom_responses[f.id]]]
          : [],
      ),
    ),
  );
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
    const onError = (err: Error) => {
      if (err instanceof ApiError && err.status === 409) return setErrors({ email: t('duplicate') });
      if (err instanceof ApiError) {
        const mapped: Record<string, string> = {};
        for (const [path, m] of Object.entries(err.fieldErrors)) mapped[serverPathToKey(path)] = m;
        setErrors(mapped);
      }
    };
    if (participant) {
      const { identity, custom_responses } = parsed.data;
      patch.mutate(
        { id: participant.id, body: { identity, custom_responses } },
        { onSuccess: onClose, onError },
      );
    } else {
      add.mutate(parsed.data, { onSuccess: onClose, onError });
    }
  };

  return (
    <Modal labelledBy="add-title" onClose={onClose} className={styles.dialog}>
      <form className="stack" onSubmit={submit} noValidate>
        <h2 id="add-title">
          {participant ? t('desk:editTitle', { name: participant.identity.name }) : t('add')}
        </h2>
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
              placeholder={
                participant?.identity.phone
                  ? t('desk:phoneUnchanged', { phone: participant.identity.phone })
                  : undefined
              }
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
        {save.isError && !Object.keys(errors).length && (
          <p className="alert" role="alert">
            {errorMessage(save.error)}
          </p>
        )}
        <div className="row">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common:action.cancel')}
          </button>
          <button type="submit" className="btn" style={{ flex: 1 }} disabled={save.isPending}>
            {participant ? t('desk:saveEdit') : t('addSubmit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
