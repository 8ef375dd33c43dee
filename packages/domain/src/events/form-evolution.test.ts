import { describe, expect, it } from 'vitest';
import { evolveFormFields } from './form-evolution.ts';
import type { FormField } from './form-field.ts';

const text = (id: string, label = id): FormField => ({ id, type: 'text', label, required: false });
const num = (id: string): FormField => ({ id, type: 'number', label: id, required: false });

describe('evolveFormFields', () => {
  it('retires removed fields and revives them when they come back', () => {
    const step1 = evolveFormFields([text('a'), text('b')], [], [text('a')], true);
    expect(step1).toEqual({ ok: true, formFields: [text('a')], retiredFormFields: [text('b')] });
    const step2 = evolveFormFields([text('a')], [text('b')], [text('a'), text('b', 'B again')], true);
    expect(step2).toEqual({ ok: true, formFields: [text('a'), text('b', 'B again')], retiredFormFields: [] });
  });

  it('keeps the latest definition of a field removed twice', () => {
    const r = evolveFormFields([text('b', 'new label')], [text('b', 'old label')], [], true);
    expect(r).toEqual({ ok: true, formFields: [], retiredFormFields: [text('b', 'new label')] });
  });

  it('refuses a type change of a live or retired id once locked, allows it in a draft', () => {
    expect(evolveFormFields([text('a')], [], [num('a')], true)).toEqual({
      ok: false,
      fieldId: 'a',
      from: 'text',
      to: 'number',
    });
    expect(evolveFormFields([], [text('a')], [num('a')], true)).toMatchObject({ ok: false, fieldId: 'a' });
    expect(evolveFormFields([text('a')], [], [num('a')], false)).toMatchObject({
      ok: true,
      formFields: [num('a')],
    });
  });
});
