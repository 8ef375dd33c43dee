import type { FormField } from '@eventmanager/domain/events/form-field';
import { formFieldsSchema } from '@eventmanager/domain/events/form-field';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../../i18n/index.ts';
import { FormBuilder } from './FormBuilder.tsx';
import { moveField, shapeFor, typesFor, updateField } from './model.ts';

/** Holds the builder's state like the editor does, and exposes the latest value to the test. */
function Harness({ initial = [], onValue }: { initial?: FormField[]; onValue: (f: FormField[]) => void }) {
  const [fields, setFields] = useState<FormField[]>(initial);
  return (
    <FormBuilder
      fields={fields}
      onChange={(next) => {
        setFields(next);
        onValue(next);
      }}
    />
  );
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(cleanup);

describe('FormBuilder', () => {
  it('adds questions, edits label, type, options, required and max length', async () => {
    const user = userEvent.setup();
    let value: FormField[] = [];
    render(<Harness onValue={(f) => (value = f)} />);

    await user.click(screen.getByRole('button', { name: 'Add question' }));
    await user.click(screen.getByRole('button', { name: 'Add question' }));
    const items = screen.getAllByTestId('builder-field');
    expect(items).toHaveLength(2);

    const first = within(items[0] as HTMLElement);
    await user.type(first.getByLabelText(/^Question/), 'Company');
    await user.click(first.getByLabelText('Required'));
    await user.type(first.getByLabelText('Maximum length'), '40');

    const second = within(items[1] as HTMLElement);
    await user.type(second.getByLabelText(/^Question/), 'Track');
    await user.selectOptions(second.getByLabelText('Answer type'), 'single_choice');
    await user.type(second.getByLabelText('Option 1'), 'Frontend');
    await user.click(second.getByRole('button', { name: 'Add option' }));
    await user.type(second.getByLabelText('Option 2'), 'Backend');

    expect(value).toHaveLength(2);
    expect(value[0]).toMatchObject({ type: 'text', label: 'Company', required: true, max_length: 40 });
    expect(value[1]).toMatchObject({
      type: 'single_choice',
      label: 'Track',
      options: ['Frontend', 'Backend'],
    });
    expect(value[1]).not.toHaveProperty('max_length');
    // What the builder produces is exactly what the server's schema accepts.
    expect(formFieldsSchema.safeParse(value).success).toBe(true);
  });

  it('reorders and removes questions', async () => {
    const user = userEvent.setup();
    const initial: FormField[] = [
      { id: 'a', type: 'text', label: 'A', required: false },
      { id: 'b', type: 'text', label: 'B', required: false },
      { id: 'c', type: 'text', label: 'C', required: false },
    ];
    let value = initial;
    render(<Harness initial={initial} onValue={(f) => (value = f)} />);

    expect(screen.getByRole('button', { name: 'Move question 1 up' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Move question 3 down' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: 'Move question 3 up' }));
    expect(value.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    await user.click(screen.getByRole('button', { name: 'Move question 1 down' }));
    expect(value.map((f) => f.id)).toEqual(['c', 'a', 'b']);
    await user.click(screen.getByRole('button', { name: 'Remove question 2' }));
    expect(value.map((f) => f.id)).toEqual(['c', 'b']);
    expect(screen.getAllByTestId('builder-field')).toHaveLength(2);
  });

  it('removes options but always keeps one to fill in', async () => {
    const user = userEvent.setup();
    let value: FormField[] = [
      { id: 'q', type: 'multi_choice', label: 'Q', required: false, options: ['x', 'y'] },
    ];
    render(<Harness initial={value} onValue={(f) => (value = f)} />);
    await user.click(screen.getByRole('button', { name: 'Remove option 1' }));
    expect(value[0]?.options).toEqual(['y']);
    await user.click(screen.getByRole('button', { name: 'Remove option 1' }));
    expect(value[0]?.options).toEqual(['']);
  });

  it('shows errors keyed by question index', () => {
    render(
      <FormBuilder
        fields={[{ id: 'q', type: 'text', label: '', required: false }]}
        onChange={() => undefined}
        errors={{ '0.label': 'This field is required.' }}
      />,
    );
    const input = screen.getByLabelText(/^Question/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('This field is required.');
  });
});

describe('form builder model', () => {
  it('offers no phone question (the phone is a built-in field) except to a field that already is one', () => {
    expect(typesFor({ type: 'text' })).not.toContain('phone');
    expect(typesFor({ type: 'text' })).toContain('email');
    expect(typesFor({ type: 'phone' })).toContain('phone');
  });

  it('drops options and max length that the new type does not take', () => {
    const choice = shapeFor({ id: 'q', type: 'single_choice', label: 'L', required: false, options: ['a'] });
    const asText = updateField([choice], 0, { type: 'text' })[0];
    expect(asText).toEqual({ id: 'q', type: 'text', label: 'L', required: false });
    const text = { id: 't', type: 'long_text' as const, label: 'L', required: false, max_length: 10 };
    expect(updateField([text], 0, { type: 'number' })[0]).not.toHaveProperty('max_length');
    expect(updateField([text], 0, { type: 'multi_choice' })[0]?.options).toEqual(['']);
  });

  it('ignores moves out of range', () => {
    const fields: FormField[] = [{ id: 'a', type: 'text', label: 'A', required: false }];
    expect(moveField(fields, 0, -1)).toEqual(fields);
    expect(moveField(fields, 0, 1)).toEqual(fields);
  });
});
