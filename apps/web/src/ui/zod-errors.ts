import type { TFunction } from 'i18next';
import type { z } from 'zod';

/**
 * Turns zod issues from the shared domain schemas into per-field messages in the UI language,
 * keyed by dotted path — the same keys the server's problem+json `errors[].path` map to.
 */
export function zodFieldErrors(error: z.ZodError, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (out[key]) continue;
    out[key] = issueMessage(issue, t);
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue, t: TFunction): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return t('common:validation.required');
      if (issue.origin === 'string') return t('common:validation.tooShort', { min: Number(issue.minimum) });
      return t('common:validation.invalid');
    case 'too_big':
      if (issue.origin === 'string') return t('common:validation.tooLong', { max: Number(issue.maximum) });
      return t('common:validation.invalid');
    case 'invalid_format':
      if (issue.format === 'email') return t('common:validation.email');
      return t('common:validation.invalid');
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '')
        return t('common:validation.required');
      if (issue.expected === 'number') return t('common:validation.number');
      return t('common:validation.invalid');
    case 'invalid_value':
      return t('common:validation.choice');
    default:
      return t('common:validation.invalid');
  }
}
