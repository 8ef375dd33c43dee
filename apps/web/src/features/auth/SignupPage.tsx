import { PASSWORD_MIN_LENGTH, signupBodySchema } from '@eventmanager/domain/accounts/schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSignup } from '../../api/auth.ts';
import { ApiError } from '../../api/problem.ts';
import { isAppLanguage } from '../../i18n/index.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import { AuthCard } from './AuthCard.tsx';
import { safeNext } from './LoginPage.tsx';
import { hasSignedInBefore } from './visit.ts';

export function SignupPage() {
  const { t, i18n } = useTranslation('auth');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signup = useSignup();
  const errorMessage = useErrorMessage();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A browser that signed someone in before is greeted as returning (and pointed to log-in).
  const [returning] = useState(hasSignedInBefore);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const language = isAppLanguage(i18n.language) ? i18n.language : 'ko';
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const parsed = signupBodySchema.safeParse({ ...form, language, timezone });
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error, t));
    setErrors({});
    signup.mutate(parsed.data, {
      onSuccess: () => navigate(safeNext(params.get('next')), { replace: true }),
      onError: (err) => {
        if (err instanceof ApiError) {
          if (err.status === 409) setErrors({ email: t('signup.emailTaken') });
          else setErrors(err.fieldErrors);
        }
      },
    });
  };

  const generalError = signup.error && !(signup.error instanceof ApiError && signup.error.status === 409);

  return (
    <AuthCard
      title={returning ? t('signup.titleReturning') : t('signup.title')}
      subtitle={returning ? t('signup.subtitleReturning') : t('signup.subtitle')}
    >
      <form className="stack" onSubmit={submit} noValidate>
        <Field label={t('field.name')} error={errors.name} required>
          {(p) => <input {...p} autoComplete="name" value={form.name} onChange={set('name')} />}
        </Field>
        <Field label={t('field.email')} error={errors.email} required>
          {(p) => (
            <input {...p} type="email" autoComplete="email" value={form.email} onChange={set('email')} />
          )}
        </Field>
        <Field
          label={t('field.password')}
          error={errors.password}
          hint={t('signup.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          required
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
            />
          )}
        </Field>
        {generalError && (
          <p className="alert" role="alert">
            {errorMessage(signup.error)}
          </p>
        )}
        <button className="btn btn-block" type="submit" disabled={signup.isPending}>
          {signup.isPending ? t('signup.submitting') : t('signup.submit')}
        </button>
        <p className="muted small" style={{ textAlign: 'center' }}>
          {t('signup.haveAccount')} <Link to="/login">{t('signup.toLogin')}</Link>
        </p>
      </form>
    </AuthCard>
  );
}
