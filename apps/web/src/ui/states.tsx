import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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

/** The message a person should read for an error: the server's detail, or a generic line. */
export function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof NetworkError) return t('error.network');
    if (error instanceof ApiError) {
      if (error.status === 404) return t('error.notFound');
      if (error.status === 403) return t('error.forbidden');
      if (error.status === 429) return t('error.rateLimited');
      if (error.status >= 500) return t('error.server');
      return error.problem.detail ?? error.problem.title;
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
