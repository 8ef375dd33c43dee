import type { PublicEvent } from '@eventmanager/domain/events/schema';
import {
  type RegistrationInput,
  registrationInputSchema,
} from '@eventmanager/domain/participants/participant.schema';
import type { TFunction } from 'i18next';
import { checkCustomAnswers } from '../../ui/form/custom-answers.ts';
import { zodFieldErrors } from '../../ui/zod-errors.ts';
import type { ConsentState } from './ConsentSection.tsx';
import { serverPathToKey } from './server-paths.ts';

export interface RegistrationDraft {
  name: string;
  email: string;
  phone: string;
  answers: Record<string, unknown>;
  consents: ConsentState;
}

/**
 * Validates the registration form with the server's own rules (registrationInputSchema and
 * validateCustomResponses). Errors are keyed "name" / "email" / "phone" / "consent" / "cf.<fieldId>".
 */
export function validateRegistration(
  event: Pick<PublicEvent, 'registration' | 'language'>,
  draft: RegistrationDraft,
  language: 'ko' | 'en',
  t: TFunction,
): { ok: true; body: RegistrationInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const custom = checkCustomAnswers(event.registration.form_fields, draft.answers, t);
  for (const [id, message] of Object.entries(custom.errors)) errors[`cf.${id}`] = message;

  const candidate = {
    identity: {
      name: draft.name,
      email: draft.email,
      ...(draft.phone.trim() && event.registration.phone !== 'off' ? { phone: draft.phone } : {}),
    },
    custom_responses: custom.value,
    consents: { privacy: draft.consents.privacy as true, marketing: draft.consents.marketing },
    language,
  };
  const parsed = registrationInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const [path, message] of Object.entries(zodFieldErrors(parsed.error, t))) {
      const key = serverPathToKey(path);
      if (key === 'phone') errors.phone = t('common:validation.phone');
      else errors[key] ??= message;
    }
  }
  // The event's built-in phone field: required needs one, off sends none.
  if (event.registration.phone === 'required' && !draft.phone.trim()) {
    errors.phone = t('common:validation.required');
  }
  if (!draft.consents.privacy || !draft.consents.age14) errors.consent = t('public:consent.requiredError');
  else delete errors.consent;
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}
