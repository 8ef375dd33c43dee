import { loginBodySchema } from '@eventmanager/domain/accounts/schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useSessionTokens } from '../../api/auth.ts';
import { ApiError } from '../../api/problem.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import { AuthCard } from './AuthCard.tsx';
import { hasSignedInBefore } from './visit.ts';

/** Only same-site paths: `?next=` must never send people to another origin. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation('auth');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSessionTokens();
  const login = useLogin();
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const next = safeNext(params.get('next'));
  // "Welcome back" only to someone who has signed in on this browser before.
  const [returning] = useState(hasSignedInBefore);

  if (session && !login.isPending && !login.isSuccess) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = loginBodySchema.safeParse({ email, password });
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error, t));
    setErrors({});
    login.mutate(parsed.data, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const serverError =
    login.error instanceof ApiError && login.error.status === 401
      ? t('login.wrong')
      : login.error && errorMessage(login.error);

  return (
    <AuthCard
      title={returning ? t('login.title') : t('login.titleNew')}
      subtitle={returning ? t('login.subtitle') : t('login.subtitleNew')}
    >
      <form className="stack" onSubmit={submit} noValidate>
        <Field label={t('field.email')} error={errors.email} required>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('field.password')} error={errors.password} required>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {serverError && (
          <p className="alert" role="alert">
            {serverError}
          </p>
        )}
        <button className="btn btn-block" type="submit" disabled={login.isPending}>
          {login.isPending ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="small" style={{ textAlign: 'center' }}>
          <Link to="/forgot-password">{t('account:forgot.link')}</Link>
        </p>
        <p className="muted small" style={{ textAlign: 'center' }}>
          {t('login.noAccount')}{' '}
          <Link to={`/signup${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {t('login.toSignup')}
          </Link>
        </p>
      </form>
    </AuthCard>
  );
}
