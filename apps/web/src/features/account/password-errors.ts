import type { TFunction } from 'i18next';
import { ApiError } from '../../api/problem.ts';

/** A sentence for a new password the schema or the server refused (too common, only spaces). */
export function newPasswordError(password: string, t: TFunction): string | undefined {
  if (password.length >= 8 && password.trim().length === 0) return t('account:password.blank');
  return undefined;
}

export function serverPasswordError(error: unknown, t: TFunction): string | undefined {
  return error instanceof ApiError && error.code === 'weak_password' ? t('account:password.weak') : undefined;
}
