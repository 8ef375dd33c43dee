import { CHOICE_FIELD_TYPES, type FormField, TEXT_FIELD_TYPES } from '@eventmanager/domain/events/form-field';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../ui/Field.tsx';
import styles from './form-builder.module.css';
import {
  addField,
  addOption,
  moveField,
  removeField,
  removeOption,
  setOption,
  typesFor,
  updateField,
} from './model.ts';

export interface FormBuilderProps {
  fields: FormField[];
  onChange: (fields: FormField[]) => void;
  /** Errors keyed by "<index>.<property>" (e.g. "0.label", "2.options"), from zod or the server. */
  errors?: Record<string, string>;
}

/** Add, reorder, edit and remove the custom questions of the registration form. */
export function FormBuilder({ fields, onChange, errors = {} }: FormBuilderProps) {
  const { t } = useTranslation('events');
  return (
    <div className="stack">
      {fields.length === 0 && <p className="muted small">{t('builder.empty')}</p>}
      <ol className={styles.list} aria-label={t('builder.listLabel')}>
        {fields.map((field, index) => {
          const n = index + 1;
          const err = (key: string) => errors[`${index}.${key}`];
          const optionsError = Object.entries(errors).find(([k]) => k.startsWith(`${index}.options`))?.[1];
          return (
            <li key={field.id} className={styles.item} data-testid="builder-field">
              <div className="row">
                <strong className={styles.number}>{t('builder.question', { n })}</strong>
                <div className="spacer" />
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={t('builder.moveUp', { n })}
                  disabled={index === 0}
                  onClick={() => onChange(moveField(fields, index, -1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={t('builder.moveDown', { n })}
                  disabled={index === fields.length - 1}
                  onClick={() => onChange(moveField(fields, index, 1))}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={t('builder.remove', { n })}
                  onClick={() => onChange(removeField(fields, index))}
                >
                  ✕
                </button>
              </div>
              <Field label={t('builder.label')} error={err('label')} required>
                {(p) => (
                  <input
                    {...p}
                    value={field.label}
                    maxLength={200}
                    placeholder={t('builder.labelPlaceholder')}
                    onChange={(e) => onChange(updateField(fields, index, { label: e.target.value }))}
                  />
                )}
              </Field>
              <Field label={t('builder.type')} error={err('type')}>
                {(p) => (
                  <select
                    {...p}
                    value={field.type}
                    onChange={(e) =>
                      onChange(updateField(fields, index, { type: e.target.value as FormField['type'] }))
                    }
                  >
                    {typesFor(field).map((type) => (
                      <option key={type} value={type}>
                        {t(`fieldType.${type}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {CHOICE_FIELD_TYPES.includes(field.type) && (
                <fieldset className={styles.options}>
                  <legend className="label">{t('builder.options')}</legend>
                  {(field.options ?? []).map((option, oi) => (
                    // Options are edited in place; their position is their identity while editing.
                    // biome-ignore lint/suspicious/noArrayIndexKey: see above
                    <div className="row" key={oi}>
                      <input
                        className="input"
                        style={{ flex: 1 }}
                        value={option}
                        maxLength={200}
                        aria-label={t('builder.optionN', { n: oi + 1 })}
                        onChange={(e) =>
                          onChange(updateField(fields, index, setOption(field, oi, e.target.value)))
                        }
                      />
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        aria-label={t('builder.removeOption', { n: oi + 1 })}
                        onClick={() => onChange(updateField(fields, index, removeOption(field, oi)))}
                      >
                        ✕
                      </button>
                    </div>
                  ))}
                  {optionsError && (
                    <span className="field-error" role="alert">
                      {optionsError}
                    </span>
                  )}
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    onClick={() => onChange(updateField(fields, index, addOption(field)))}
                  >
                    {t('builder.addOption')}
                  </button>
                </fieldset>
              )}
              {TEXT_FIELD_TYPES.includes(field.type) && (
                <Field
                  label={t('builder.maxLength')}
                  error={err('max_length')}
                  hint={t('builder.maxLengthHint')}
                >
                  {(p) => (
                    <input
                      {...p}
                      type="number"
                      inputMode="numeric"
                      min={1}
                      max={10000}
                      value={field.max_length ?? ''}
                      onChange={(e) =>
                        onChange(
                          updateField(fields, index, {
                            max_length: e.target.value === '' ? undefined : Number(e.target.value),
                          }),
                        )
                      }
                    />
                  )}
                </Field>
              )}
              <label className="check">
                <input
                  type="checkbox"
                  checked={field.required}
                  onChange={(e) => onChange(updateField(fields, index, { required: e.target.checked }))}
                />
                <span>{t('builder.required')}</span>
              </label>
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn-secondary" onClick={() => onChange(addField(fields))}>
        {t('builder.add')}
      </button>
    </div>
  );
}
