import { z } from 'zod';
import { normalizePhone } from './phone.ts';

/** One answer to an organizer-defined form field, as stored in `custom_responses`. */
export const customAnswerSchema = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(1_000)).max(100),
  z.null(),
]);
export type CustomAnswer = z.infer<typeof customAnswerSchema>;
export const customResponsesSchema = z.record(z.string().min(1).max(100), customAnswerSchema);
export type CustomResponses = z.infer<typeof customResponsesSchema>;

export type CustomFieldType =
  | 'text'
  | 'long_text'
  | 'single_choice'
  | 'multi_choice'
  | 'checkbox'
  | 'number'
  | 'email'
  | 'phone';

/**
 * The parts of an event's form field definition that answers are checked against. Structural, so
 * the events module's `FormField` fits it without this package depending on that one.
 */
export interface CustomFieldDefinition {
  id: string;
  type: CustomFieldType;
  label?: string;
  required?: boolean | undefined;
  options?: readonly string[] | undefined;
  max_length?: number | undefined;
}

export interface CustomFieldError {
  path: string;
  message: string;
}

/** Lengths used when the organizer set no `max_length`. */
export const DEFAULT_MAX_LENGTH: Record<'text' | 'long_text', number> = { text: 500, long_text: 5_000 };

const EMAIL = z.email();

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Checks answers against the event's form: every answer must belong to a defined field (unknown
 * ids are rejected), have the field's type, respect options and lengths, and required fields must
 * be answered (a required checkbox must be ticked). Returns the normalised answers (trimmed text,
 * lower-cased e-mail, normalised phone) and one error per offending field.
 */
export function validateCustomResponses(
  fields: readonly CustomFieldDefinition[],
  answers: Readonly<Record<string, unknown>>,
): { value: CustomResponses; errors: CustomFieldError[] } {
  const errors: CustomFieldError[] = [];
  const value: CustomResponses = {};
  const byId = new Map(fields.map((f) => [f.id, f]));
  for (const key of Object.keys(answers)) {
    if (!byId.has(key)) errors.push({ path: `custom_responses.${key}`, message: 'unknown field' });
  }
  for (const field of fields) {
    const path = `custom_responses.${field.id}`;
    // Own answers only: an id never reads a member every object inherits.
    const raw = Object.hasOwn(answers, field.id) ? answers[field.id] : undefined;
    if (isBlank(raw) && !(field.type === 'checkbox' && raw === false)) {
      if (field.required) errors.push({ path, message: 'is required' });
      continue;
    }
    const checked = checkAnswer(field, raw);
    if ('error' in checked) errors.push({ path, message: checked.error });
    else value[field.id] = checked.ok;
  }
  return { value, errors };
}

function checkAnswer(field: CustomFieldDefinition, raw: unknown): { ok: CustomAnswer } | { error: string } {
  switch (field.type) {
    case 'text':
    case 'long_text': {
      if (typeof raw !== 'string') return { error: 'must be text' };
      const text = raw.trim();
      const max = field.max_length ?? DEFAULT_MAX_LENGTH[field.type];
      if ([...text].length > max) return { error: `must be at most ${max} characters` };
      return { ok: text };
    }
    case 'single_choice': {
      if (typeof raw !== 'string') return { error: 'must be one of the options' };
      if (!(field.options ?? []).includes(raw)) return { error: 'must be one of the options' };
      return { ok: raw };
    }
    case 'multi_choice': {
      if (!Array.isArray(raw) || !raw.every((v) => typeof v === 'string')) {
        return { error: 'must be a list of options' };
      }
      const options = field.options ?? [];
      const bad = raw.find((v) => !options.includes(v));
      if (bad !== undefined) return { error: `"${bad}" is not one of the options` };
      if (new Set(raw).size !== raw.length) return { error: 'must not repeat an option' };
      return { ok: [...raw] };
    }
    case 'checkbox': {
      if (typeof raw !== 'boolean') return { error: 'must be true or false' };
      if (field.required && !raw) return { error: 'must be checked' };
      return { ok: raw };
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return { error: 'must be a number' };
      return { ok: raw };
    }
    case 'email': {
      if (typeof raw !== 'string') return { error: 'must be a valid e-mail address' };
      const email = raw.trim().toLowerCase();
      if (email.length > 254 || !EMAIL.safeParse(email).success) {
        return { error: 'must be a valid e-mail address' };
      }
      return { ok: email };
    }
    case 'phone': {
      const phone = typeof raw === 'string' ? normalizePhone(raw) : undefined;
      if (!phone) return { error: 'must be a valid phone number' };
      return { ok: phone };
    }
  }
}
