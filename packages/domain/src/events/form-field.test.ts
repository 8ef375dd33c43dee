import { describe, expect, it } from 'vitest';
import { formFieldSchema, formFieldsSchema } from './form-field.ts';

describe('formFieldSchema', () => {
  it('accepts every type with the right extras and defaults required to false', () => {
    const ok = [
      { id: 'a', type: 'text', label: 'A', max_length: 50 },
      { id: 'b', type: 'long_text', label: 'B' },
      { id: 'c', type: 'single_choice', label: 'C', options: ['x', 'y'] },
      { id: 'd', type: 'multi_choice', label: 'D', options: ['x'] },
      { id: 'e', type: 'checkbox', label: 'E' },
      { id: 'f', type: 'number', label: 'F' },
      { id: 'g', type: 'email', label: 'G' },
      { id: 'h', type: 'phone', label: 'H', required: true },
    ];
    for (const f of ok) expect(formFieldSchema.safeParse(f).success, f.type).toBe(true);
    expect(formFieldSchema.parse({ id: 'x', type: 'text', label: 'X' }).required).toBe(false);
  });

  it.each([
    ['choice without options', { id: 'c', type: 'single_choice', label: 'C' }, 'options'],
    ['empty options', { id: 'c', type: 'multi_choice', label: 'C', options: [] }, 'options'],
    ['duplicate options', { id: 'c', type: 'multi_choice', label: 'C', options: ['a', 'a'] }, 'options'],
    ['options on a text field', { id: 'c', type: 'text', label: 'C', options: ['a'] }, 'options'],
    ['max_length on a number', { id: 'c', type: 'number', label: 'C', max_length: 3 }, 'max_length'],
    ['max_length 0', { id: 'c', type: 'text', label: 'C', max_length: 0 }, 'max_length'],
    ['blank label', { id: 'c', type: 'text', label: '   ' }, 'label'],
    ['id with spaces', { id: 'my field', type: 'text', label: 'C' }, 'id'],
    ['unknown type', { id: 'c', type: 'date', label: 'C' }, 'type'],
    ['unknown key', { id: 'c', type: 'text', label: 'C', hint: 'x' }, ''],
  ])('rejects %s', (_name, input, path) => {
    const result = formFieldSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('rejects duplicate ids within a form', () => {
    const result = formFieldsSchema.safeParse([
      { id: 'a', type: 'text', label: 'A' },
      { id: 'a', type: 'email', label: 'B' },
    ]);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual([1, 'id']);
  });
});
