import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useVerifyEmail } from '../../api/account.ts';
import { AuthCard } from '../auth/AuthCard.tsx';

/** Opened from the e-mail sent at sign-up: confirms the address, signed in or not. */
export function VerifyEmailPage() {
  const { t } = useTranslation('account');
  const { token = '' } = useParams();
  const verify = useVerifyEmail();
  const sent = useRef(false);
  useEffect(() => {
    // Once: a second request would find the single-use token spent.
    if (sent.current) return;
    sent.current = true;
    verify.mutate(token);
  }, [token, verify]);

  return (
    <AuthCard title={t('verify.title')}>
      <div className="stack">
        {verify.isSuccess ? (
          <p className="alert alert-success" role="status" data-testid="verify-done">
            {t('verify.done')}
          </p>
        ) : verify.isError ? (
          <p className="alert" role="alert">
            {t('verify.failed')}
          </p>
        ) : (
          <p className="muted">{t('verify.checking')}</p>
        )}
        {!verify.isPending && (
          <Link className="btn btn-block" to="/">
            {t('verify.continue')}
          </Link>
        )}
      </div>
    </AuthCard>
  );
}
