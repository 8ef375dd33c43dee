import type { FormField } from '@eventmanager/domain/events/form-field';
import { validateCustomResponses } from '@eventmanager/domain/participants/custom-responses';
import type { TFunction } from 'i18next';

/**
 * Client-side check of custom answers with the SAME rules the server applies
 * (`validateCustomResponses` from the domain package), translated for the form.
 * Returns errors keyed by field id (empty when valid) and the normalised answers to send.
 */
export function checkCustomAnswers(
  fields: readonly FormField[],
  answers: Record<string, unknown>,
  t: TFunction,
): { value: Record<string, unknown>; errors: Record<string, string> } {
  // Blank answers to optional questions are left out rather than sent as "".
  const present = Object.fromEntries(
    Object.entries(answers).filter(([id, v]) => v !== undefined && fields.some((f) => f.id === id)),
  );
  const { value, errors } = validateCustomResponses(fields, present);
  const out: Record<string, string> = {};
  for (const e of errors) {
    const id = e.path.replace(/^custom_responses\./, '');
    const field = fields.find((f) => f.id === id);
    out[id] = messageFor(e.message, field, t);
  }
  return { value, errors: out };
}

function messageFor(message: string, field: FormField | undefined, t: TFunction): string {
  if (message === 'is required' || message === 'must be checked') return t('common:validation.required');
  if (message.startsWith('must be at most')) {
    return t('common:validation.tooLong', {
      max: Number(/\d+/.exec(message)?.[0] ?? field?.max_length ?? 0),
    });
  }
  switch (field?.type) {
    case 'email':
      return t('common:validation.email');
    case 'phone':
      return t('common:validation.phone');
    case 'number':
      return t('common:validation.number');
    case 'single_choice':
    case 'multi_choice':
      return t('common:validation.choice');
    default:
      return t('common:validation.invalid');
  }
}
