import { PASSWORD_MIN_LENGTH, passwordResetConfirmBodySchema } from '@eventmanager/domain/accounts/schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useConfirmPasswordReset } from '../../api/account.ts';
import { ApiError } from '../../api/problem.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import { AuthCard } from '../auth/AuthCard.tsx';
import { newPasswordError, serverPasswordError } from './password-errors.ts';

/** Opened from the reset e-mail: sets a new password; every session of the account ends. */
export function ResetPasswordPage() {
  const { t } = useTranslation('account');
  const { token = '' } = useParams();
  const confirm = useConfirmPasswordReset();
  const errorMessage = useErrorMessage();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = passwordResetConfirmBodySchema.safeParse({ token, password });
    if (!parsed.success) {
      return setError(newPasswordError(password, t) ?? zodFieldErrors(parsed.error, t).password);
    }
    setError(undefined);
    confirm.mutate(parsed.data, { onError: (err) => setError(serverPasswordError(err, t)) });
  };

  if (confirm.isSuccess) {
    return (
      <AuthCard title={t('reset.title')}>
        <div className="stack">
          <p className="alert alert-success" role="status" data-testid="reset-done">
            {t('reset.done')}
          </p>
          <Link className="btn btn-block" to="/login">
            {t('reset.toLogin')}
          </Link>
        </div>
      </AuthCard>
    );
  }
  const linkDead = confirm.error instanceof ApiError && confirm.error.code === 'invalid_or_expired_token';
  return (
    <AuthCard title={t('reset.title')} subtitle={t('reset.subtitle')}>
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label={t('auth:field.password')}
          error={error}
          hint={t('auth:signup.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          required
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {confirm.error && !error && (
          <p className="alert" role="alert">
            {linkDead ? t('reset.failed') : errorMessage(confirm.error)}
          </p>
        )}
        {linkDead && <Link to="/forgot-password">{t('reset.again')}</Link>}
        <button className="btn btn-block" type="submit" disabled={confirm.isPending}>
          {t('reset.submit')}
        </button>
      </form>
    </AuthCard>
  );
}
