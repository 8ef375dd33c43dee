import type { DrawingConfig } from '@eventmanager/domain/drawings/schema';
import type { FormField } from '@eventmanager/domain/events/form-field';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { filterableFields, filterValues } from './drawing-config.ts';

/** Pool (everyone registered / only checked in), previous-winner exclusion, and an optional answer filter. */
export function ConfigForm({
  config,
  fields,
  onChange,
}: {
  config: DrawingConfig;
  fields: readonly FormField[];
  onChange: (config: DrawingConfig) => void;
}) {
  const { t } = useTranslation('drawings');
  const id = useId();
  const choices = filterableFields(fields);
  const field = config.filter ? choices.find((f) => f.id === config.filter?.field_id) : undefined;

  return (
    <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="label">{t('config.pool.label')}</legend>
      <div className="row">
        {(['checked_in', 'all'] as const).map((pool) => (
          <label key={pool} className="row" style={{ gap: 6 }}>
            <input
              type="radio"
              name={`${id}-pool`}
              value={pool}
              checked={config.participant_pool === pool}
              onChange={() => onChange({ ...config, participant_pool: pool })}
            />
            {t(`config.pool.${pool}`)}
          </label>
        ))}
      </div>
      <label className="row" style={{ gap: 6 }}>
        <input
          type="checkbox"
          checked={config.exclude_previous_winners}
          onChange={(e) => onChange({ ...config, exclude_previous_winners: e.target.checked })}
        />
        {t('config.exclude')}
      </label>
      {choices.length > 0 && (
        <div className="row">
          <div className="field" style={{ flex: 1, minWidth: 160 }}>
            <label htmlFor={`${id}-field`}>{t('config.filter.label')}</label>
            <select
              id={`${id}-field`}
              value={config.filter?.field_id ?? ''}
              onChange={(e) => {
                const next = choices.find((f) => f.id === e.target.value);
                const first = next ? filterValues(next)[0] : undefined;
                onChange({
                  ...config,
                  filter: next && first ? { field_id: next.id, value: first.value } : null,
                });
              }}
            >
              <option value="">{t('config.filter.none')}</option>
              {choices.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          {field && config.filter && (
            <div className="field" style={{ flex: 1, minWidth: 160 }}>
              <label htmlFor={`${id}-value`}>{t('config.filter.value')}</label>
              <select
                id={`${id}-value`}
                value={String(config.filter.value)}
                onChange={(e) => {
                  const chosen = filterValues(field).find((v) => String(v.value) === e.target.value);
                  if (chosen) onChange({ ...config, filter: { field_id: field.id, value: chosen.value } });
                }}
              >
                {filterValues(field).map((v) => (
                  <option key={String(v.value)} value={String(v.value)}>
                    {v.label ?? t(v.value ? 'config.filter.yes' : 'config.filter.no')}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      )}
    </fieldset>
  );
}
