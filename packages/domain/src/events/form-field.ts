import { z } from 'zod';
import { isReservedKey } from '../common/safe-text.ts';

export const formFieldTypeSchema = z.enum([
  'text',
  'long_text',
  'single_choice',
  'multi_choice',
  'checkbox',
  'number',
  'email',
  'phone',
]);
export type FormFieldType = z.infer<typeof formFieldTypeSchema>;

export const CHOICE_FIELD_TYPES: readonly FormFieldType[] = ['single_choice', 'multi_choice'];
/** Types whose answer is free text, so a maximum length means something. */
export const TEXT_FIELD_TYPES: readonly FormFieldType[] = ['text', 'long_text'];

export const MAX_FORM_FIELDS = 50;
export const MAX_FIELD_OPTIONS = 100;

/**
 * One custom registration question. `id` is the key the participant's answer is stored under; it is
 * the field's identity for as long as answers exist, so it never changes meaning (see the events
 * module: a published event cannot change an existing id's type).
 */
export const formFieldSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
      .refine((id) => !isReservedKey(id), 'is a reserved name; choose another id'),
    type: formFieldTypeSchema,
    label: z.string().trim().min(1).max(200),
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(MAX_FIELD_OPTIONS).optional(),
    max_length: z.number().int().min(1).max(10_000).optional(),
  })
  .superRefine((field, ctx) => {
    const isChoice = CHOICE_FIELD_TYPES.includes(field.type);
    if (isChoice && !field.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${field.type} field needs options` });
    }
    if (!isChoice && field.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice fields take options' });
    }
    if (field.options && new Set(field.options).size !== field.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must be unique' });
    }
    if (field.max_length !== undefined && !TEXT_FIELD_TYPES.includes(field.type)) {
      ctx.addIssue({ code: 'custom', path: ['max_length'], message: 'only text fields take max_length' });
    }
  });
export type FormField = z.infer<typeof formFieldSchema>;

/** The form definition: field ids unique, at most MAX_FORM_FIELDS questions. */
export const formFieldsSchema = z
  .array(formFieldSchema)
  .max(MAX_FORM_FIELDS)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((field, i) => {
      if (seen.has(field.id)) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate field id "${field.id}"` });
      }
      seen.add(field.id);
    });
  });
