import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAcceptInvitation, useResendVerification } from '../../api/account.ts';
import { useMe, useSessionTokens } from '../../api/auth.ts';
import { ApiError } from '../../api/problem.ts';
import { useErrorMessage } from '../../ui/states.tsx';
import { AuthCard } from '../auth/AuthCard.tsx';

/**
 * Opened from the invitation e-mail, possibly in a fresh browser: signed out, it sends the person to
 * log in or sign up and back here; signed in, one button accepts.
 */
export function InvitationPage() {
  const { t } = useTranslation('account');
  const { token = '' } = useParams();
  const session = useSessionTokens();
  const me = useMe();
  const accept = useAcceptInvitation();
  const resend = useResendVerification();
  const errorMessage = useErrorMessage();
  const here = encodeURIComponent(`/invitations/${token}`);

  if (!session) {
    return (
      <AuthCard title={t('invitation.title')} subtitle={t('invitation.intro')}>
        <div className="stack">
          <p>{t('invitation.signedOut')}</p>
          <Link className="btn btn-block" to={`/login?next=${here}`}>
            {t('invitation.login')}
          </Link>
          <Link className="btn btn-secondary btn-block" to={`/signup?next=${here}`}>
            {t('invitation.signup')}
          </Link>
        </div>
      </AuthCard>
    );
  }

  if (accept.isSuccess) {
    return (
      <AuthCard title={t('invitation.title')}>
        <div className="stack">
          <p className="alert alert-success" role="status" data-testid="invitation-accepted">
            {t('invitation.accepted', { name: accept.data.event_name })}
          </p>
          <Link className="btn btn-block" to={`/events/${accept.data.event_id}`}>
            {t('invitation.open')}
          </Link>
        </div>
      </AuthCard>
    );
  }

  const code = accept.error instanceof ApiError ? accept.error.code : undefined;
  const email = me.data?.email ?? '';
  const reason =
    code === 'email_not_verified'
      ? t('invitation.notVerified', { email })
      : code === 'invitation_email_mismatch'
        ? t('invitation.mismatch')
        : code === 'invitation_expired'
          ? t('invitation.expired')
          : code === 'invitation_not_found'
            ? t('invitation.gone')
            : accept.error
              ? errorMessage(accept.error)
              : null;

  return (
    <AuthCard title={t('invitation.title')} subtitle={t('invitation.intro')}>
      <div className="stack">
        {email && <p className="muted small">{t('invitation.as', { email })}</p>}
        {reason && (
          <p className="alert" role="alert">
            {reason}
          </p>
        )}
        {code === 'email_not_verified' &&
          (resend.isSuccess ? (
            <p className="alert alert-success small" role="status">
              {t('verify.resent')}
            </p>
          ) : (
            <button
              type="button"
              className="btn btn-secondary"
              disabled={resend.isPending}
              onClick={() => resend.mutate()}
            >
              {t('verify.resend')}
            </button>
          ))}
        <button
          type="button"
          className="btn btn-block"
          disabled={accept.isPending}
          onClick={() => accept.mutate(token)}
        >
          {accept.isPending ? t('invitation.accepting') : t('invitation.accept')}
        </button>
      </div>
    </AuthCard>
  );
}
