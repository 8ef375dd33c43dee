import type { DrawingConfig } from '@eventmanager/domain/drawings/schema';
import type { FormField } from '@eventmanager/domain/events/form-field';

export const DEFAULT_CONFIG: DrawingConfig = {
  participant_pool: 'checked_in',
  exclude_previous_winners: true,
  filter: null,
};

/** Questions a draw can filter on: those with a fixed set of answers. */
export function filterableFields(fields: readonly FormField[]): FormField[] {
  return fields.filter(
    (f) => f.type === 'single_choice' || f.type === 'multi_choice' || f.type === 'checkbox',
  );
}

/** The values offered for a filter question: its options, or yes/no for a checkbox. */
export function filterValues(field: FormField): { value: string | boolean; label: string | null }[] {
  if (field.type === 'checkbox') {
    return [
      { value: true, label: null },
      { value: false, label: null },
    ];
  }
  return (field.options ?? []).map((o) => ({ value: o, label: o }));
}

/** The config travels to the projector view in its address, so the projector can be opened on any screen. */
export function configToSearch(config: DrawingConfig): string {
  const p = new URLSearchParams({ pool: config.participant_pool });
  if (config.exclude_previous_winners) p.set('exclude', '1');
  if (config.filter) {
    p.set('field', config.filter.field_id);
    p.set('value', String(config.filter.value));
  }
  return `?${p.toString()}`;
}

export function configFromSearch(search: URLSearchParams): DrawingConfig {
  const pool = search.get('pool') === 'all' ? 'all' : 'checked_in';
  const field = search.get('field');
  const raw = search.get('value');
  let value: string | boolean | null = raw;
  if (raw === 'true') value = true;
  if (raw === 'false') value = false;
  return {
    participant_pool: pool,
    exclude_previous_winners: search.get('exclude') === '1',
    filter: field && value !== null ? { field_id: field, value } : null,
  };
}
