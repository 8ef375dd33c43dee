import { type CSSProperties, type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { usePublicEvent } from '../../api/events.ts';
import { useRegister } from '../../api/participants.ts';
import { ApiError } from '../../api/problem.ts';
import { hasStoredLanguage, isAppLanguage, showInLanguage } from '../../i18n/index.ts';
import { Field } from '../../ui/Field.tsx';
import { focusFirstError } from '../../ui/focus-first-error.ts';
import { CustomFields } from '../../ui/form/CustomFields.tsx';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { ConsentSection } from './ConsentSection.tsx';
import { EventHeader } from './EventHeader.tsx';
import styles from './public.module.css';
import type { RegistrationDraft } from './registration-form.ts';
import { saveRegistrationResult } from './registration-result.ts';
import { SeatsCard } from './SeatsCard.tsx';
import { serverPathToKey } from './server-paths.ts';

/**
 * Validation uses the server's zod schemas; they are fetched when the visitor starts filling in the
 * form (first focus), not with the page, so the event shows up sooner on a slow phone.
 */
const loadValidation = () => import('./registration-form.ts');

export function RegistrationPage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation(['public', 'seats', 'identity']);
  const event = usePublicEvent(code);
  const register = useRegister(code);
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState<RegistrationDraft>({
    name: '',
    email: '',
    phone: '',
    answers: {},
    consents: { privacy: false, age14: false, marketing: false },
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempted, setAttempted] = useState(false);

  // The page speaks the event's language unless the visitor chose one on this device.
  const eventLanguage = event.data?.language;
  useEffect(() => {
    if (eventLanguage && !hasStoredLanguage()) void showInLanguage(eventLanguage);
  }, [eventLanguage]);

  // After the first attempt, errors follow the input live.
  const publicEvent = event.data;
  useEffect(() => {
    if (!attempted || !publicEvent) return;
    let live = true;
    void loadValidation().then(({ validateRegistration }) => {
      const language = isAppLanguage(i18n.language) ? i18n.language : publicEvent.language;
      const result = validateRegistration(publicEvent, draft, language, t);
      if (live) setErrors(result.ok ? {} : result.errors);
    });
    return () => {
      live = false;
    };
  }, [attempted, publicEvent, draft, i18n.language, t]);

  useEffect(() => {
    if (event.data) document.title = `${event.data.name} · eventManager`;
  }, [event.data]);

  if (event.isPending) return <Loading />;
  if (event.isError) {
    return (
      <main className="page">
        <ErrorState error={event.error} onRetry={() => void event.refetch()} />
      </main>
    );
  }
  const e = event.data;
  const deadlinePassed = e.registration.deadline ? Date.parse(e.registration.deadline) < Date.now() : false;
  // Full without a waitlist is closed as well; full with one takes waitlist registrations.
  const soldOut = e.availability.is_full && !e.availability.waitlist_open;
  const closed = e.status !== 'published' || deadlinePassed || soldOut;
  const phoneSetting = e.registration.phone;
  const brand = e.branding?.primary_color
    ? ({
        '--c-primary': e.branding.primary_color,
        '--c-primary-strong': e.branding.primary_color,
      } as CSSProperties)
    : undefined;

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const language = isAppLanguage(i18n.language) ? i18n.language : e.language;
    setAttempted(true);
    const { validateRegistration } = await loadValidation();
    const result = validateRegistration(e, draft, language, t);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstError();
      return;
    }
    setErrors({});
    register.mutate(result.body, {
      onSuccess: (res) => {
        saveRegistrationResult(code, res);
        navigate(`/e/${code}/done`, { replace: false });
      },
      onError: (err) => {
        if (!(err instanceof ApiError)) return;
        if (err.status === 409) {
          setErrors({ email: t('errors.duplicate') });
          return focusFirstError();
        }
        const mapped: Record<string, string> = {};
        for (const [path, message] of Object.entries(err.fieldErrors))
          mapped[serverPathToKey(path)] = message;
        setErrors(mapped);
        focusFirstError();
      },
    });
  };

  const setAnswer = (id: string, value: unknown) =>
    setDraft((d) => ({ ...d, answers: { ...d.answers, [id]: value } }));
  const cfErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([k]) => k.startsWith('cf.'))
      .map(([k, v]) => [k.slice(3), v]),
  );
  const refusal = register.error instanceof ApiError && register.error.status === 422 ? register.error : null;

  return (
    <main className={styles.wrap} style={brand}>
      <EventHeader event={e} />
      <div className={styles.body}>
        <SeatsCard event={e} />
        {e.description && (
          <section className="card">
            <h2 className="visually-hidden">{t('about')}</h2>
            <p className={styles.description}>{e.description}</p>
          </section>
        )}
        {closed ? (
          <section className="card" role="status" data-testid="registration-closed">
            <h2>
              {soldOut && !deadlinePassed && e.status === 'published' ? t('seats:full') : t('closed.title')}
            </h2>
            <p className="muted">
              {deadlinePassed
                ? t('closed.deadline')
                : soldOut && e.status === 'published'
                  ? t('seats:fullBody')
                  : t(`closed.${e.status}`, { defaultValue: t('closed.generic') })}
            </p>
          </section>
        ) : (
          <form
            className="card stack"
            onSubmit={(ev) => void submit(ev)}
            onFocusCapture={() => void loadValidation()}
            noValidate
            aria-labelledby="form-title"
          >
            <h2 id="form-title">{t('form.title')}</h2>
            {e.registration.requires_approval && (
              <p className="alert alert-info small">{t('form.approvalNote')}</p>
            )}
            <Field label={t('form.name')} error={errors.name} required>
              {(p) => (
                <input
                  {...p}
                  autoComplete="name"
                  value={draft.name}
                  onChange={(ev) => setDraft((d) => ({ ...d, name: ev.target.value }))}
                />
              )}
            </Field>
            <Field label={t('form.email')} error={errors.email} hint={t('form.emailHint')} required>
              {(p) => (
                <input
                  {...p}
                  type="email"
                  autoComplete="email"
                  inputMode="email"
                  value={draft.email}
                  onChange={(ev) => setDraft((d) => ({ ...d, email: ev.target.value }))}
                />
              )}
            </Field>
            {phoneSetting !== 'off' && (
              <Field
                label={phoneSetting === 'required' ? t('identity:phoneRequired') : t('form.phone')}
                error={errors.phone}
                hint={t('form.phoneHint')}
                required={phoneSetting === 'required'}
              >
                {(p) => (
                  <input
                    {...p}
                    type="tel"
                    autoComplete="tel"
                    inputMode="tel"
                    placeholder="010-1234-5678"
                    value={draft.phone}
                    onChange={(ev) => setDraft((d) => ({ ...d, phone: ev.target.value }))}
                  />
                )}
              </Field>
            )}
            <CustomFields
              fields={e.registration.form_fields}
              values={draft.answers}
              onChange={setAnswer}
              errors={cfErrors}
            />
            <ConsentSection
              value={draft.consents}
              onChange={(consents) => setDraft((d) => ({ ...d, consents }))}
              organizer={
                e.organizer.organization
                  ? `${e.organizer.name} (${e.organizer.organization})`
                  : e.organizer.name
              }
              error={errors.consent}
            />
            {register.isError && (
              <p className="alert" role="alert">
                {refusal
                  ? t(`errors.refused.${refusal.code ?? 'other'}`, { defaultValue: refusal.message })
                  : Object.keys(errors).length
                    ? t('common:error.fixFields')
                    : errorMessage(register.error)}
              </p>
            )}
            <div className={styles.submitBar}>
              <button
                type="submit"
                className="btn btn-block"
                disabled={register.isPending}
                data-testid="register-submit"
              >
                {register.isPending
                  ? t('form.submitting')
                  : e.availability.waitlist_open
                    ? t('seats:waitlistSubmit')
                    : t('form.submit')}
              </button>
            </div>
          </form>
        )}
      </div>
    </main>
  );
}
