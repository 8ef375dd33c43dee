import { selfServicePatchSchema } from '@eventmanager/domain/participants/participant.schema';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { shareCodeOf, usePublicEvent } from '../../api/events.ts';
import { useCancelManage, useManage, usePatchManage } from '../../api/participants.ts';
import { ApiError } from '../../api/problem.ts';
import { formatEventRange } from '../../i18n/format.ts';
import { hasStoredLanguage, showInLanguage } from '../../i18n/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { focusFirstError } from '../../ui/focus-first-error.ts';
import { CustomFields } from '../../ui/form/CustomFields.tsx';
import { checkCustomAnswers } from '../../ui/form/custom-answers.ts';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import styles from './public.module.css';
import { serverPathToKey } from './server-paths.ts';

/** The participant's page from the manage link: ticket, edit answers, cancel. No account needed. */
export function ManagePage() {
  const { token = '' } = useParams();
  const { t, i18n } = useTranslation(['public', 'seats', 'identity']);
  const manage = useManage(token);
  const code = manage.data ? shareCodeOf(manage.data.event) : undefined;
  const event = usePublicEvent(code);
  const patch = usePatchManage(token);
  const cancel = useCancelManage(token);
  const errorMessage = useErrorMessage();
  const [editing, setEditing] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [form, setForm] = useState({
    name: '',
    phone: '',
    marketing: false,
    answers: {} as Record<string, unknown>,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const participantLanguage = manage.data?.participant.language;
  useEffect(() => {
    if (participantLanguage && !hasStoredLanguage()) void showInLanguage(participantLanguage);
  }, [participantLanguage]);

  if (manage.isPending) return <Loading />;
  if (manage.isError) {
    return (
      <main className="page">
        <ErrorState error={manage.error} onRetry={() => void manage.refetch()} />
      </main>
    );
  }
  const { participant: p, event: ev, ticket_code: ticket, waitlist_position: position } = manage.data;
  const fields = event.data?.registration.form_fields ?? [];
  const phoneSetting = event.data?.registration.phone ?? 'optional';
  const status = p.registration.status;
  const active = status !== 'cancelled' && status !== 'rejected';

  const startEdit = () => {
    setForm({
      name: p.identity.name,
      phone: p.identity.phone ?? '',
      marketing: p.consents.marketing?.agreed ?? false,
      answers: { ...p.custom_responses },
    });
    setErrors({});
    setSaved(false);
    setEditing(true);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const custom = checkCustomAnswers(fields, form.answers, t);
    const body = {
      identity: {
        name: form.name,
        // A form that asks no phone leaves the stored one alone.
        ...(phoneSetting === 'off' ? {} : { phone: form.phone.trim() ? form.phone : null }),
      },
      custom_responses: custom.value,
      consents: { marketing: form.marketing },
    };
    const parsed = selfServicePatchSchema.safeParse(body);
    const next: Record<string, string> = {};
    for (const [id, m] of Object.entries(custom.errors)) next[`cf.${id}`] = m;
    if (!parsed.success) {
      for (const [path, m] of Object.entries(zodFieldErrors(parsed.error, t))) {
        const key = serverPathToKey(path);
        next[key] = key === 'phone' ? t('common:validation.phone') : m;
      }
    }
    if (phoneSetting === 'required' && !form.phone.trim()) next.phone = t('common:validation.required');
    setErrors(next);
    if (!parsed.success || Object.keys(next).length) return focusFirstError();
    patch.mutate(parsed.data, {
      onSuccess: () => {
        setEditing(false);
        setSaved(true);
      },
      onError: (err) => {
        if (!(err instanceof ApiError)) return;
        const mapped: Record<string, string> = {};
        for (const [path, m] of Object.entries(err.fieldErrors)) mapped[serverPathToKey(path)] = m;
        setErrors(mapped);
        focusFirstError();
      },
    });
  };

  return (
    <main className={styles.wrap}>
      <div className={styles.body} style={{ paddingTop: 56 }}>
        <h1>{t('manage.title')}</h1>
        <section className={`card stack ${styles.ticket}`} aria-labelledby="ticket-title">
          <h2 id="ticket-title">{ev.name}</h2>
          <p className="muted small">
            {formatEventRange(ev.datetime.start, ev.datetime.end, ev.datetime.timezone, i18n.language)}
          </p>
          <span className={`badge badge-${status}`} data-testid="manage-status">
            {t(`manage.status.${status}`)}
          </span>
          <p className={styles.number}>#{String(p.registration.number).padStart(3, '0')}</p>
          {status === 'waitlist' && position !== null && (
            <p data-testid="waitlist-position">{t('seats:positionBody', { position })}</p>
          )}
          {status === 'registered' && (
            <img src={`/api/public/tickets/${encodeURIComponent(ticket)}/qr.svg`} alt={t('done.qrAlt')} />
          )}
        </section>

        {saved && (
          <p className="alert alert-success" role="status">
            {t('manage.saved')}
          </p>
        )}

        {editing ? (
          <form className="card stack" onSubmit={save} noValidate aria-labelledby="edit-title">
            <h2 id="edit-title">{t('manage.editTitle')}</h2>
            <Field label={t('form.name')} error={errors.name} required>
              {(a) => (
                <input
                  {...a}
                  value={form.name}
                  onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
                />
              )}
            </Field>
            <Field label={t('form.email')} hint={t('manage.emailFixed')}>
              {(a) => <input {...a} value={p.identity.email} readOnly />}
            </Field>
            {phoneSetting !== 'off' && (
              <Field
                label={phoneSetting === 'required' ? t('identity:phoneRequired') : t('form.phone')}
                error={errors.phone}
                required={phoneSetting === 'required'}
              >
                {(a) => (
                  <input
                    {...a}
                    type="tel"
                    value={form.phone}
                    onChange={(e) => setForm((f) => ({ ...f, phone: e.target.value }))}
                  />
                )}
              </Field>
            )}
            <CustomFields
              fields={fields}
              values={form.answers}
              errors={Object.fromEntries(
                Object.entries(errors)
                  .filter(([k]) => k.startsWith('cf.'))
                  .map(([k, v]) => [k.slice(3), v]),
              )}
              onChange={(id, v) => setForm((f) => ({ ...f, answers: { ...f.answers, [id]: v } }))}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={form.marketing}
                onChange={(e) => setForm((f) => ({ ...f, marketing: e.target.checked }))}
              />
              <span>{t('consent.marketing.label')}</span>
            </label>
            {patch.isError && !Object.keys(errors).length && (
              <p className="alert" role="alert">
                {errorMessage(patch.error)}
              </p>
            )}
            <div className="row">
              <button type="button" className="btn btn-ghost" onClick={() => setEditing(false)}>
                {t('common:action.cancel')}
              </button>
              <button type="submit" className="btn" style={{ flex: 1 }} disabled={patch.isPending}>
                {t('common:action.save')}
              </button>
            </div>
          </form>
        ) : (
          <section className="card stack" aria-labelledby="info-title">
            <h2 id="info-title">{t('manage.info')}</h2>
            <dl className={styles.terms}>
              <dt>{t('form.name')}</dt>
              <dd>{p.identity.name}</dd>
              <dt>{t('form.email')}</dt>
              <dd>{p.identity.email}</dd>
              {p.identity.phone && (
                <>
                  <dt>{t('form.phone')}</dt>
                  <dd>{p.identity.phone}</dd>
                </>
              )}
              {fields.map((f) => {
                const v = p.custom_responses[f.id];
                if (v === undefined || v === null || v === '') return null;
                return (
                  <div key={f.id} style={{ display: 'contents' }}>
                    <dt>{f.label}</dt>
                    <dd>
                      {Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? '✓' : '—') : String(v)}
                    </dd>
                  </div>
                );
              })}
            </dl>
            {active && (
              <div className="row">
                <button
                  type="button"
                  className="btn btn-secondary"
                  onClick={startEdit}
                  data-testid="manage-edit"
                >
                  {t('manage.edit')}
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setConfirmCancel(true)}>
                  {t('manage.cancel')}
                </button>
              </div>
            )}
            {cancel.isError && (
              <p className="alert" role="alert">
                {errorMessage(cancel.error)}
              </p>
            )}
          </section>
        )}
      </div>
      <ConfirmDialog
        open={confirmCancel}
        title={t('manage.cancelTitle')}
        body={t('manage.cancelBody')}
        confirmLabel={t('manage.cancelConfirm')}
        danger
        onCancel={() => setConfirmCancel(false)}
        onConfirm={() => {
          setConfirmCancel(false);
          cancel.mutate();
        }}
      />
    </main>
  );
}
