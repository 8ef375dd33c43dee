import type { Event } from '@eventmanager/domain/events/schema';
import { type FormEvent, type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useMe } from '../../api/auth.ts';
import { useCreateEvent, useEvent, useUpdateEvent } from '../../api/events.ts';
import { ApiError } from '../../api/problem.ts';
import { isAppLanguage } from '../../i18n/index.ts';
import { Field } from '../../ui/Field.tsx';
import { focusFirstError } from '../../ui/focus-first-error.ts';
import { CustomFields } from '../../ui/form/CustomFields.tsx';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { PlanLimitHint } from '../billing/PlanLimitHint.tsx';
import { CoverImageField } from './CoverImageField.tsx';
import styles from './editor.module.css';
import {
  builderErrors,
  draftFromEvent,
  type EventDraft,
  emptyDraft,
  toPatch,
  validateDraft,
} from './event-draft.ts';
import { FormBuilder } from './form-builder/FormBuilder.tsx';
import { IdentityFields } from './form-builder/IdentityFields.tsx';

/** /events/new and /events/:id/edit share this page; the latter loads the event first. */
export function EventEditorPage() {
  const { id } = useParams();
  const event = useEvent(id);
  if (!id) return <EventEditor />;
  if (event.isPending) return <Loading />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} />;
  return <EventEditor event={event.data} />;
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

function EventEditor({ event }: { event?: Event }) {
  const { t, i18n } = useTranslation('events');
  const navigate = useNavigate();
  const me = useMe();
  const create = useCreateEvent();
  const update = useUpdateEvent(event?.id ?? '');
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState<EventDraft>(() =>
    event
      ? draftFromEvent(event)
      : emptyDraft(
          isAppLanguage(i18n.language) ? i18n.language : 'ko',
          me.data?.preferences.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'Asia/Seoul',
        ),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempted, setAttempted] = useState(false);
  const [showPreview, setShowPreview] = useState(false);
  const [previewAnswers, setPreviewAnswers] = useState<Record<string, unknown>>({});
  const zones = useMemo(() => timeZones(draft.timezone), [draft.timezone]);
  const premium = me.data ? me.data.tier !== 'free' : false;
  const mutation = event ? update : create;

  const set =
    <K extends keyof EventDraft>(key: K) =>
    (value: EventDraft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: keyof EventDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  // After the first attempt, errors follow the input live: a fixed field loses its message at once.
  useEffect(() => {
    if (!attempted) return;
    const result = validateDraft(draft, t);
    setErrors(result.ok ? {} : result.errors);
  }, [attempted, draft, t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    const result = validateDraft(draft, t);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstError();
      return;
    }
    setErrors({});
    const onError = (err: Error) => {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length) {
        setErrors(err.fieldErrors);
        focusFirstError();
      }
    };
    if (event) {
      update.mutate(toPatch(draft, premium), { onSuccess: () => navigate(`/events/${event.id}`), onError });
    } else {
      create.mutate(
        { ...result.body, branding: premium ? result.body.branding : null },
        { onSuccess: (created) => navigate(`/events/${created.id}`), onError },
      );
    }
  };

  const err = (path: string) => errors[path];
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <form className="page stack" onSubmit={submit} noValidate>
      <h1>{event ? t('editor.editTitle') : t('editor.newTitle')}</h1>

      <Section title={t('editor.basics')}>
        <Field label={t('editor.name')} error={err('name')} required>
          {(p) => <input {...p} value={draft.name} maxLength={200} onChange={text('name')} />}
        </Field>
        <Field label={t('editor.description')} error={err('description')}>
          {(p) => <textarea {...p} rows={5} value={draft.description} onChange={text('description')} />}
        </Field>
        <Field label={t('editor.language')} hint={t('editor.languageHint')}>
          {(p) => (
            <select
              {...p}
              value={draft.language}
              onChange={(e) => set('language')(e.target.value as 'ko' | 'en')}
            >
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          )}
        </Field>
      </Section>

      <Section title={t('editor.when')}>
        <Field label={t('editor.timezone')} error={err('datetime.timezone')}>
          {(p) => (
            <select {...p} value={draft.timezone} onChange={text('timezone')}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className={styles.two}>
          <Field label={t('editor.start')} error={err('datetime.start')} required>
            {(p) => <input {...p} type="datetime-local" value={draft.start} onChange={text('start')} />}
          </Field>
          <Field label={t('editor.end')} error={err('datetime.end')}>
            {(p) => <input {...p} type="datetime-local" value={draft.end} onChange={text('end')} />}
          </Field>
        </div>
      </Section>

      <Section title={t('editor.where')}>
        <fieldset className={styles.segment}>
          <legend className="label">{t('editor.locationType')}</legend>
          {(['physical', 'online', 'hybrid'] as const).map((type) => (
            <label key={type} className={draft.locationType === type ? styles.segOn : undefined}>
              <input
                type="radio"
                name="locationType"
                value={type}
                checked={draft.locationType === type}
                onChange={() => set('locationType')(type)}
              />
              {t(`locationType.${type}`)}
            </label>
          ))}
        </fieldset>
        {draft.locationType !== 'online' && (
          <Field label={t('editor.address')} error={err('location.address')} required>
            {(p) => <input {...p} value={draft.address} maxLength={500} onChange={text('address')} />}
          </Field>
        )}
        {draft.locationType !== 'physical' && (
          <Field label={t('editor.onlineLink')} error={err('location.online_link')} required>
            {(p) => (
              <input
                {...p}
                type="url"
                inputMode="url"
                value={draft.onlineLink}
                placeholder="https://"
                onChange={text('onlineLink')}
              />
            )}
          </Field>
        )}
      </Section>

      <Section title={t('editor.registration')}>
        <PlanLimitHint limit="admitted_participants_per_event" />
        <div className={styles.two}>
          <Field
            label={t('editor.capacity')}
            error={err('capacity.max_participants')}
            hint={t('editor.capacityHint')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={1}
                value={draft.maxParticipants}
                onChange={text('maxParticipants')}
              />
            )}
          </Field>
          <Field label={t('editor.deadline')} error={err('registration.deadline')}>
            {(p) => <input {...p} type="datetime-local" value={draft.deadline} onChange={text('deadline')} />}
          </Field>
        </div>
        <Toggle
          checked={draft.waitlistEnabled}
          onChange={set('waitlistEnabled')}
          label={t('editor.waitlist')}
        />
        <Toggle
          checked={draft.requiresApproval}
          onChange={set('requiresApproval')}
          label={t('editor.approval')}
        />
      </Section>

      <Section
        title={t('editor.form')}
        action={
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-pressed={showPreview}
            onClick={() => setShowPreview((v) => !v)}
          >
            {showPreview ? t('editor.hidePreview') : t('editor.showPreview')}
          </button>
        }
      >
        <IdentityFields phone={draft.phoneField} onPhoneChange={set('phoneField')} />
        <p className="muted small">{t('editor.formHint')}</p>
        <FormBuilder fields={draft.formFields} onChange={set('formFields')} errors={builderErrors(errors)} />
        {showPreview && (
          <section className={styles.preview} aria-label={t('editor.preview')}>
            <p className="badge">{t('editor.preview')}</p>
            <CustomFields
              fields={draft.formFields}
              values={previewAnswers}
              idPrefix="preview"
              onChange={(fid, v) => setPreviewAnswers((a) => ({ ...a, [fid]: v }))}
            />
          </section>
        )}
      </Section>

      <Section title={t('cover:title')}>
        {event ? <CoverImageField event={event} /> : <p className="muted small">{t('cover:afterCreate')}</p>}
      </Section>

      <Section title={t('identity:contactTitle')}>
        <p className="muted small">{t('identity:contactHint')}</p>
        <div className={styles.two}>
          <Field label={t('identity:contactEmail')} error={err('contact.email')}>
            {(p) => (
              <input
                {...p}
                type="email"
                inputMode="email"
                autoComplete="email"
                value={draft.contactEmail}
                onChange={text('contactEmail')}
              />
            )}
          </Field>
          <Field label={t('identity:contactPhone')} error={err('contact.phone')}>
            {(p) => (
              <input
                {...p}
                type="tel"
                inputMode="tel"
                value={draft.contactPhone}
                onChange={text('contactPhone')}
              />
            )}
          </Field>
        </div>
      </Section>

      <Section title={t('editor.options')}>
        <Toggle
          checked={draft.privacy === 'private'}
          onChange={(v) => set('privacy')(v ? 'private' : 'public')}
          label={t('editor.private')}
          hint={t('editor.privateHint')}
        />
        <Toggle checked={draft.checkinEnabled} onChange={set('checkinEnabled')} label={t('editor.checkin')} />
        <Toggle
          checked={draft.prizeDrawingEnabled}
          onChange={set('prizeDrawingEnabled')}
          label={t('editor.drawing')}
        />
        <Toggle checked={draft.anonymousMode} onChange={set('anonymousMode')} label={t('editor.anonymous')} />
      </Section>

      <Section title={t('editor.branding')}>
        {premium ? (
          <>
            <Toggle
              checked={draft.brandingEnabled}
              onChange={set('brandingEnabled')}
              label={t('editor.brandingOn')}
            />
            {draft.brandingEnabled && (
              <div className={styles.two}>
                <Field label={t('editor.logoUrl')} error={err('branding.logo_url')} required>
                  {(p) => <input {...p} type="url" value={draft.logoUrl} onChange={text('logoUrl')} />}
                </Field>
                <Field label={t('editor.color')} error={err('branding.primary_color')}>
                  {(p) => (
                    <input {...p} type="color" value={draft.primaryColor} onChange={text('primaryColor')} />
                  )}
                </Field>
              </div>
            )}
          </>
        ) : (
          <p className="muted small">{t('editor.brandingPremium')}</p>
        )}
      </Section>

      <div className={styles.saveBar}>
        {(hasErrors || mutation.isError) && (
          <p className="alert small" role="alert">
            {hasErrors ? t('common:error.fixFields') : errorMessage(mutation.error)}
          </p>
        )}
        <div className="row">
          <button type="button" className="btn btn-ghost" onClick={() => navigate(-1)}>
            {t('common:action.cancel')}
          </button>
          <button type="submit" className="btn" style={{ flex: 1 }} disabled={mutation.isPending}>
            {mutation.isPending ? t('common:state.saving') : event ? t('editor.save') : t('editor.create')}
          </button>
        </div>
      </div>
    </form>
  );
}

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="card stack">
      <div className="row">
        <h2 style={{ margin: 0 }}>{title}</h2>
        <div className="spacer" />
        {action}
      </div>
      {children}
    </section>
  );
}

function Toggle({
  checked,
  onChange,
  label,
  hint,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  hint?: string;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        {hint && (
          <>
            <br />
            <span className="muted small">{hint}</span>
          </>
        )}
      </span>
    </label>
  );
}
