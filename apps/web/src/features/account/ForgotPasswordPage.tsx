import { passwordResetBodySchema } from '@eventmanager/domain/accounts/schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequestPasswordReset } from '../../api/account.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { AuthCard } from '../auth/AuthCard.tsx';

/** Asks for a reset link; the answer is the same whether or not an account uses the address. */
export function ForgotPasswordPage() {
  const { t } = useTranslation('account');
  const request = useRequestPasswordReset();
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = passwordResetBodySchema.safeParse({ email });
    if (!parsed.success) return setError(t('common:validation.email'));
    setError(undefined);
    request.mutate(parsed.data.email);
  };

  return (
    <AuthCard title={t('forgot.title')} subtitle={t('forgot.subtitle')}>
      {request.isSuccess ? (
        <p className="alert alert-success" role="status" data-testid="reset-sent">
          {t('forgot.sent')}
        </p>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <Field label={t('auth:field.email')} error={error} required>
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
          {request.error && (
            <p className="alert" role="alert">
              {errorMessage(request.error)}
            </p>
          )}
          <button className="btn btn-block" type="submit" disabled={request.isPending}>
            {t('forgot.submit')}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
