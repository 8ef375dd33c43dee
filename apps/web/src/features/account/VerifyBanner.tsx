import { useTranslation } from 'react-i18next';
import { useResendVerification } from '../../api/account.ts';
import { useMe } from '../../api/auth.ts';
import { useErrorMessage } from '../../ui/states.tsx';

/** Until the address is confirmed: says why it matters and offers a new link. */
export function VerifyBanner() {
  const { t } = useTranslation('account');
  const me = useMe();
  const resend = useResendVerification();
  const errorMessage = useErrorMessage();
  if (!me.data || me.data.email_verified) return null;
  return (
    <div className="alert alert-info stack small" role="status" data-testid="verify-banner">
      <span>{t('verify.banner', { email: me.data.email })}</span>
      {resend.isSuccess ? (
        <span>{t('verify.resent')}</span>
      ) : (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={resend.isPending}
          onClick={() => resend.mutate()}
        >
          {t('verify.resend')}
        </button>
      )}
      {resend.error && <span>{errorMessage(resend.error)}</span>}
    </div>
  );
}
