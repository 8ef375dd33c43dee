import {
  CHOICE_FIELD_TYPES,
  type FormField,
  type FormFieldType,
  TEXT_FIELD_TYPES,
} from '@eventmanager/domain/events/form-field';

/**
 * Pure edits of the form definition the builder shows. Each returns a new array, and keeps every
 * field shaped the way the domain schema accepts: options only on choice fields, max_length only on
 * text fields, so switching a type never leaves a stale property behind.
 */
export function newFieldId(existing: readonly FormField[]): string {
  const taken = new Set(existing.map((f) => f.id));
  for (;;) {
    const id = `q_${Math.random().toString(36).slice(2, 8)}`;
    if (!taken.has(id)) return id;
  }
}

export function addField(fields: readonly FormField[], type: FormFieldType = 'text'): FormField[] {
  return [...fields, shapeFor({ id: newFieldId(fields), type, label: '', required: false })];
}

export function removeField(fields: readonly FormField[], index: number): FormField[] {
  return fields.filter((_, i) => i !== index);
}

/** Moves the field at `from` by `delta` places (−1 up, +1 down); out-of-range moves change nothing. */
export function moveField(fields: readonly FormField[], from: number, delta: number): FormField[] {
  const to = from + delta;
  if (from < 0 || from >= fields.length || to < 0 || to >= fields.length) return [...fields];
  const next = [...fields];
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

export function updateField(
  fields: readonly FormField[],
  index: number,
  patch: Partial<FormField>,
): FormField[] {
  return fields.map((f, i) => (i === index ? shapeFor({ ...f, ...patch }) : f));
}

/** Drops properties the type does not take; gives a new choice field one empty option to fill in. */
export function shapeFor(field: FormField): FormField {
  const next: FormField = { id: field.id, type: field.type, label: field.label, required: field.required };
  if (CHOICE_FIELD_TYPES.includes(field.type)) next.options = field.options?.length ? field.options : [''];
  if (TEXT_FIELD_TYPES.includes(field.type) && field.max_length !== undefined)
    next.max_length = field.max_length;
  return next;
}

export function setOption(field: FormField, index: number, value: string): FormField {
  const options = [...(field.options ?? [])];
  options[index] = value;
  return { ...field, options };
}

export function addOption(field: FormField): FormField {
  return { ...field, options: [...(field.options ?? []), ''] };
}

export function removeOption(field: FormField, index: number): FormField {
  const options = (field.options ?? []).filter((_, i) => i !== index);
  return { ...field, options: options.length ? options : [''] };
}

export const FIELD_TYPES: readonly FormFieldType[] = [
  'text',
  'long_text',
  'single_choice',
  'multi_choice',
  'checkbox',
  'number',
  'email',
  'phone',
];

/**
 * The types a question may take: a phone question only where a field already is one (kept so old
 * forms stay editable), since the phone is the form's built-in identity field.
 */
export function typesFor(field: Pick<FormField, 'type'>): readonly FormFieldType[] {
  return field.type === 'phone' ? FIELD_TYPES : FIELD_TYPES.filter((t) => t !== 'phone');
}
