import { PASSWORD_MIN_LENGTH, signupBodySchema } from '@eventmanager/domain/accounts/schema';
import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSignup } from '../../api/auth.ts';
import { ApiError } from '../../api/problem.ts';
import { isAppLanguage } from '../../i18n/index.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import { newPasswordError, serverPasswordError } from '../account/password-errors.ts';
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
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A browser that signed someone in before is greeted as returning (and pointed to log-in).
  const [returning] = useState(hasSignedInBefore);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const language = isAppLanguage(i18n.language) ? i18n.language : 'ko';
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const parsed = signupBodySchema.safeParse({ ...form, accept_terms: acceptTerms, language, timezone });
    if (!parsed.success) {
      const fieldErrors = zodFieldErrors(parsed.error, t);
      const blank = newPasswordError(form.password, t);
      if (blank) fieldErrors.password = blank;
      if (fieldErrors.accept_terms) fieldErrors.accept_terms = t('account:terms.required');
      return setErrors(fieldErrors);
    }
    setErrors({});
    signup.mutate(parsed.data, {
      onSuccess: () => navigate(safeNext(params.get('next')), { replace: true }),
      onError: (err) => {
        if (err instanceof ApiError) {
          if (err.status === 409) setErrors({ email: t('signup.emailTaken') });
          else {
            const weak = serverPasswordError(err, t);
            setErrors(weak ? { ...err.fieldErrors, password: weak } : err.fieldErrors);
          }
        }
      },
    });
  };

  const generalError =
    signup.error &&
    !(
      signup.error instanceof ApiError &&
      (signup.error.status === 409 || signup.error.code === 'weak_password')
    );

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
        <div className="stack" style={{ gap: 4 }}>
          <label className="check">
            <input
              type="checkbox"
              checked={acceptTerms}
              aria-required
              aria-invalid={errors.accept_terms ? true : undefined}
              aria-describedby={errors.accept_terms ? 'accept-terms-error' : undefined}
              onChange={(e) => setAcceptTerms(e.target.checked)}
              data-testid="accept-terms"
            />
            <span>
              <Trans
                t={t}
                i18nKey="account:terms.consent"
                components={{
                  terms: <Link to="/terms" />,
                  privacy: <Link to="/privacy" />,
                }}
              />
            </span>
          </label>
          {errors.accept_terms && (
            <p id="accept-terms-error" className="field-error small" role="alert">
              {errors.accept_terms}
            </p>
          )}
        </div>
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
