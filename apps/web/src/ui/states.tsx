import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, NetworkError } from '../api/problem.ts';
import { IconBadge, type IconName } from './icons.tsx';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div
      role="status"
      aria-live="polite"
      style={{ display: 'grid', placeItems: 'center', padding: 48, gap: 12 }}
    >
      <div className="spinner" aria-hidden="true" />
      <span className="muted small">{label ?? t('state.loading')}</span>
    </div>
  );
}

/**
 * The message a person should read for an error, in their language: a sentence for the reason the
 * server names (`code`), else for its status. The server's own `detail` is English, so only an
 * English reader gets it word for word when no sentence fits.
 */
export function useErrorMessage() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof NetworkError) return t('error.network');
    if (error instanceof ApiError) {
      const byCode = error.code ? t(`error.code.${error.code}`, { defaultValue: '' }) : '';
      if (byCode) return byCode;
      if (error.status === 404) return t('error.notFound');
      if (error.status === 403) return t('error.forbidden');
      if (error.status === 429) return t('error.rateLimited');
      if (error.status >= 500) return t('error.server');
      if (i18n.language === 'en') return error.problem.detail ?? error.problem.title;
      if (error.status === 401) return t('error.unauthorized');
      if (error.status === 409) return t('error.conflict');
      if (error.status === 413) return t('error.tooLarge');
      if (error.status === 400 && Object.keys(error.fieldErrors).length) return t('error.fixFields');
      return t('error.rejected');
    }
    return t('error.unknown');
  };
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = useErrorMessage()(error);
  return (
    <div role="alert" className="card stack" style={{ textAlign: 'center', alignItems: 'center' }}>
      <IconBadge name="alert" tone="danger" />
      <h2>{t('state.errorTitle')}</h2>
      <p className="muted">{message}</p>
      {error instanceof ApiError && error.code === 'plan_limit' && (
        <Link to="/pricing" className="btn btn-primary">
          {t('planLimit.seePlans')}
        </Link>
      )}
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          {t('action.retry')}
        </button>
      )}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  body,
  action,
}: {
  icon?: IconName;
  title: string;
  body?: string;
  action?: ReactNode;
}) {
  return (
    <div className="card stack" style={{ textAlign: 'center', alignItems: 'center', padding: 32 }}>
      {icon && <IconBadge name={icon} />}
      <h2>{title}</h2>
      {body && <p className="muted">{body}</p>}
      {action}
    </div>
  );
}
