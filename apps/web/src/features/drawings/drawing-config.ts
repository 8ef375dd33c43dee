import { type DrawingConfig, MAX_WINNERS_PER_DRAW } from '@eventmanager/domain/drawings/schema';
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

/** The prize and how many winners a draw gives it to. */
export interface DrawOptions {
  prize: string;
  winnerCount: number;
}

export const DEFAULT_OPTIONS: DrawOptions = { prize: '', winnerCount: 1 };
export const PRIZE_MAX_LENGTH = 100;

export type DrawOptionsProblem =
  | { key: 'config.prize.tooLong' }
  | { key: 'config.count.invalid'; max: number }
  | { key: 'config.count.morethanPool'; pool: number };

/** Why these options cannot be drawn (checked before the request; the server checks again). */
export function checkDrawOptions(options: DrawOptions, poolSize: number | null): DrawOptionsProblem | null {
  if (options.prize.trim().length > PRIZE_MAX_LENGTH) return { key: 'config.prize.tooLong' };
  const n = options.winnerCount;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WINNERS_PER_DRAW) {
    return { key: 'config.count.invalid', max: MAX_WINNERS_PER_DRAW };
  }
  if (poolSize !== null && poolSize > 0 && n > poolSize)
    return { key: 'config.count.morethanPool', pool: poolSize };
  return null;
}

/** The request fields: a blank prize is left out, so the server stores none. */
export function optionsToBody(options: DrawOptions): { prize?: string; winner_count: number } {
  const prize = options.prize.trim();
  return { ...(prize ? { prize } : {}), winner_count: options.winnerCount };
}

/** The projector's address carries the prize and count next to the pool config. */
export function optionsToSearch(config: DrawingConfig, options: DrawOptions): string {
  const p = new URLSearchParams(configToSearch(config));
  const prize = options.prize.trim();
  if (prize) p.set('prize', prize);
  if (options.winnerCount !== 1) p.set('count', String(options.winnerCount));
  return `?${p.toString()}`;
}

/** Reads them back; a missing or out-of-range value falls back to the default. */
export function optionsFromSearch(search: URLSearchParams): DrawOptions {
  const prize = (search.get('prize') ?? '').trim().slice(0, PRIZE_MAX_LENGTH);
  const raw = search.get('count');
  const count = raw !== null && /^\d{1,3}$/.test(raw) ? Number(raw) : 1;
  return { prize, winnerCount: count >= 1 && count <= MAX_WINNERS_PER_DRAW ? count : 1 };
}
