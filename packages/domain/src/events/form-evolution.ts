import type { FormField } from './form-field.ts';

export type FormEvolution =
  | { ok: true; formFields: FormField[]; retiredFormFields: FormField[] }
  | { ok: false; fieldId: string; from: FormField['type']; to: FormField['type'] };

/**
 * How a form changes without breaking stored answers. Answers are stored under field ids and are
 * never rewritten, so:
 * - a field removed from the form is kept in `retired` (its label still names its old answers);
 * - a retired id put back on the form leaves `retired` (its old answers are live again);
 * - once people may have answered (`locked`: the event left draft), an id that exists or existed
 *   cannot change type: old answers would no longer fit it. Add a new field instead.
 * Labels, options, `required` and `max_length` may change; old answers stay as they were given.
 */
export function evolveFormFields(
  current: FormField[],
  retired: FormField[],
  next: FormField[],
  locked: boolean,
): FormEvolution {
  const known = new Map<string, FormField>();
  for (const f of retired) known.set(f.id, f);
  for (const f of current) known.set(f.id, f);
  if (locked) {
    for (const f of next) {
      const before = known.get(f.id);
      if (before && before.type !== f.type)
        return { ok: false, fieldId: f.id, from: before.type, to: f.type };
    }
  }
  const nextIds = new Set(next.map((f) => f.id));
  // Retired even in a draft: an organizer may already have added people by hand.
  const removed = current.filter((f) => !nextIds.has(f.id));
  const removedIds = new Set(removed.map((f) => f.id));
  const keptRetired = retired.filter((f) => !nextIds.has(f.id) && !removedIds.has(f.id));
  return { ok: true, formFields: next, retiredFormFields: [...keptRetired, ...removed] };
}
