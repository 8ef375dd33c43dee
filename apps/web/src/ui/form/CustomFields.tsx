import type { FormField } from '@eventmanager/domain/events/form-field';
import { useTranslation } from 'react-i18next';
import { Field } from '../Field.tsx';

export type CustomAnswers = Record<string, unknown>;

/**
 * Renders an event's custom questions as inputs. Used by the public registration page, the
 * self-service page, the organizer's "add participant" form and the editor's live preview.
 */
export function CustomFields({
  fields,
  values,
  onChange,
  errors = {},
  idPrefix = 'cf',
}: {
  fields: readonly FormField[];
  values: CustomAnswers;
  onChange: (id: string, value: unknown) => void;
  /** Keyed by field id. */
  errors?: Record<string, string>;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {fields.map((field) => {
        const value = values[field.id];
        const error = errors[field.id];
        const label = field.label || t('validation.untitled');
        if (field.type === 'checkbox') {
          return (
            <div className="field" key={field.id}>
              <label className="check">
                <input
                  type="checkbox"
                  name={`${idPrefix}-${field.id}`}
                  checked={value === true}
                  aria-invalid={Boolean(error)}
                  aria-required={field.required || undefined}
                  onChange={(e) => onChange(field.id, e.target.checked)}
                />
                <span>
                  {label}
                  {field.required && <span aria-hidden="true"> *</span>}
                </span>
              </label>
              {error && (
                <span className="field-error" role="alert">
                  {error}
                </span>
              )}
            </div>
          );
        }
        if (field.type === 'single_choice' || field.type === 'multi_choice') {
          const multi = field.type === 'multi_choice';
          const selected = multi ? (Array.isArray(value) ? (value as string[]) : []) : value;
          return (
            <fieldset className="field" key={field.id} style={{ border: 0, padding: 0, margin: 0 }}>
              <legend className="label" style={{ marginBottom: 6 }}>
                {label}
                {field.required && (
                  <span aria-hidden="true" style={{ color: 'var(--c-danger)' }}>
                    {' '}
                    *
                  </span>
                )}
              </legend>
              {(field.options ?? []).map((option, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: options may be blank while the organizer types
                <label className="check" key={`${i}-${option}`}>
                  <input
                    type={multi ? 'checkbox' : 'radio'}
                    name={`${idPrefix}-${field.id}`}
                    value={option}
                    checked={multi ? (selected as string[]).includes(option) : selected === option}
                    onChange={(e) => {
                      if (!multi) return onChange(field.id, option);
                      const list = selected as string[];
                      onChange(
                        field.id,
                        e.target.checked ? [...list, option] : list.filter((o) => o !== option),
                      );
                    }}
                  />
                  <span>{option || '—'}</span>
                </label>
              ))}
              {error && (
                <span className="field-error" role="alert">
                  {error}
                </span>
              )}
            </fieldset>
          );
        }
        return (
          <Field key={field.id} label={label} error={error} required={field.required}>
            {(p) =>
              field.type === 'long_text' ? (
                <textarea
                  {...p}
                  name={`${idPrefix}-${field.id}`}
                  maxLength={field.max_length}
                  value={typeof value === 'string' ? value : ''}
                  onChange={(e) => onChange(field.id, e.target.value)}
                />
              ) : (
                <input
                  {...p}
                  name={`${idPrefix}-${field.id}`}
                  type={
                    field.type === 'number'
                      ? 'number'
                      : field.type === 'email'
                        ? 'email'
                        : field.type === 'phone'
                          ? 'tel'
                          : 'text'
                  }
                  inputMode={field.type === 'number' ? 'decimal' : field.type === 'phone' ? 'tel' : undefined}
                  autoComplete={field.type === 'email' ? 'email' : field.type === 'phone' ? 'tel' : undefined}
                  maxLength={field.max_length}
                  value={value === undefined || value === null ? '' : String(value)}
                  onChange={(e) =>
                    onChange(
                      field.id,
                      field.type === 'number'
                        ? e.target.value === ''
                          ? undefined
                          : Number(e.target.value)
                        : e.target.value,
                    )
                  }
                />
              )
            }
          </Field>
        );
      })}
    </>
  );
}
