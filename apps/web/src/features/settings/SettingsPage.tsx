import { patchMeBodySchema } from '@eventmanager/domain/accounts/schema';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe, useUpdateMe } from '../../api/auth.ts';
import { ApiError } from '../../api/problem.ts';
import { type AppLanguage, setLanguage } from '../../i18n/index.ts';
import { Field } from '../../ui/Field.tsx';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';

/** Profile, language, timezone and notification preferences (PATCH /api/me). */
export function SettingsPage() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) {
    return (
      <div className="page">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  return <SettingsForm user={me.data} />;
}

function SettingsForm({ user }: { user: NonNullable<ReturnType<typeof useMe>['data']> }) {
  const { t } = useTranslation('settings');
  const { t: tb } = useTranslation('billing');
  const update = useUpdateMe();
  const errorMessage = useErrorMessage();
  const [form, setForm] = useState({
    name: user.profile.name,
    organization: user.profile.organization ?? '',
    language: user.preferences.language,
    timezone: user.preferences.timezone,
    notifications: user.preferences.notifications,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const zones = useMemo(() => {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return all.includes(form.timezone) ? all : [form.timezone, ...all];
  }, [form.timezone]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const parsed = patchMeBodySchema.safeParse({
      profile: { name: form.name, organization: form.organization.trim() || null },
      preferences: { language: form.language, timezone: form.timezone, notifications: form.notifications },
    });
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error, t));
    setErrors({});
    update.mutate(parsed.data, {
      onSuccess: () => {
        setSaved(true);
        void setLanguage(form.language as AppLanguage);
      },
      onError: (err) => {
        if (err instanceof ApiError) setErrors(err.fieldErrors);
      },
    });
  };

  return (
    <form className="page stack" onSubmit={submit} noValidate>
      <h1>{t('title')}</h1>
      <Link to="/settings/subscription" className="btn btn-secondary" data-testid="my-subscription-link">
        {tb('subscription.title')} · {tb(`plan.${user.tier}`)}
      </Link>
      <section className="card stack" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('profile')}</h2>
        <Field label={t('email')}>{(p) => <input {...p} value={user.email} readOnly />}</Field>
        <Field label={t('name')} error={errors['profile.name']} required>
          {(p) => (
            <input
              {...p}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('organization')} error={errors['profile.organization']}>
          {(p) => (
            <input
              {...p}
              value={form.organization}
              onChange={(e) => setForm((f) => ({ ...f, organization: e.target.value }))}
            />
          )}
        </Field>
        <p className="muted small">
          {t('plan')}: <strong>{t(`tier.${user.tier}`)}</strong>
        </p>
      </section>
      <section className="card stack" aria-labelledby="prefs-title">
        <h2 id="prefs-title">{t('preferences')}</h2>
        <Field label={t('language')}>
          {(p) => (
            <select
              {...p}
              value={form.language}
              onChange={(e) => setForm((f) => ({ ...f, language: e.target.value as AppLanguage }))}
            >
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          )}
        </Field>
        <Field label={t('timezone')} error={errors['preferences.timezone']} hint={t('timezoneHint')}>
          {(p) => (
            <select
              {...p}
              value={form.timezone}
              onChange={(e) => setForm((f) => ({ ...f, timezone: e.target.value }))}
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={form.notifications}
            onChange={(e) => setForm((f) => ({ ...f, notifications: e.target.checked }))}
          />
          <span>
            {t('notifications')}
            <br />
            <span className="muted small">{t('notificationsHint')}</span>
          </span>
        </label>
      </section>
      {saved && (
        <p className="alert alert-success" role="status">
          {t('common:state.saved')}
        </p>
      )}
      {update.isError && !Object.keys(errors).length && (
        <p className="alert" role="alert">
          {errorMessage(update.error)}
        </p>
      )}
      <button type="submit" className="btn btn-block" disabled={update.isPending}>
        {update.isPending ? t('common:state.saving') : t('common:action.save')}
      </button>
    </form>
  );
}
