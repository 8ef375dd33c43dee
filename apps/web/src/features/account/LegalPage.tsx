import { TERMS_VERSION } from '@eventmanager/domain/accounts/schema';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { AuthCard } from '../auth/AuthCard.tsx';

/** The service terms or the privacy policy, in the reader's language, with the version a sign-up accepts. */
function LegalPage({ kind }: { kind: 'terms' | 'privacy' }) {
  const { t } = useTranslation('account');
  const navigate = useNavigate();
  const body = t(kind === 'terms' ? 'terms.termsBody' : 'terms.privacyBody', {
    returnObjects: true,
  }) as string[];
  return (
    <AuthCard title={t(kind === 'terms' ? 'terms.termsTitle' : 'terms.privacyTitle')}>
      <div className="stack">
        {body.map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
        <p className="muted small">{t('terms.version', { version: TERMS_VERSION })}</p>
        <button type="button" className="btn btn-secondary" onClick={() => navigate(-1)}>
          {t('terms.back')}
        </button>
      </div>
    </AuthCard>
  );
}

export function TermsPage() {
  return <LegalPage kind="terms" />;
}

export function PrivacyPage() {
  return <LegalPage kind="privacy" />;
}
