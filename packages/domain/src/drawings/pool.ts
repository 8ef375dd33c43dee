import type { DrawingConfig } from './schema.ts';

/** What the drawing needs to know about a participant (the participants module's `listDrawPool` row). */
export interface DrawCandidate {
  id: string;
  name: string;
  registrationNumber: number;
  registrationStatus: 'registered' | 'waitlist' | 'pending' | 'cancelled' | 'rejected';
  checkinStatus: 'not_checked_in' | 'checked_in' | 'no_show';
  customResponses: Record<string, unknown>;
}

/** Why a pool came out empty, checked stage by stage so the organizer learns which rule emptied it. */
export type EmptyPoolReason =
  | 'no_registered_participants'
  | 'no_checked_in_participants'
  | 'all_previous_winners'
  | 'no_filter_match';

export interface PoolSelection<C extends DrawCandidate> {
  pool: C[];
  emptyReason: EmptyPoolReason | null;
}

type PoolConfig = Pick<DrawingConfig, 'participant_pool' | 'exclude_previous_winners' | 'filter'>;

/**
 * Form answers are stored as typed by the form: a single choice is a string, a checkbox a boolean,
 * a multi choice an array of strings. A filter compares by value, not type ("true" matches true) so a
 * value typed in a query string still matches.
 */
function sameValue(answer: unknown, wanted: unknown): boolean {
  if (answer === null || answer === undefined) return false;
  if (typeof answer === 'object') return false;
  return String(answer).trim() === String(wanted).trim();
}

/**
 * Exact match for single choice and checkbox answers, "contains" for multi choice (an array answer
 * matches when one of its choices equals the value).
 */
export function matchesFilter(
  answers: Record<string, unknown>,
  filter: { field_id: string; value: unknown },
) {
  const answer = answers[filter.field_id];
  if (Array.isArray(answer)) return answer.some((choice) => sameValue(choice, filter.value));
  return sameValue(answer, filter.value);
}

/**
 * The people a drawing picks from. `all` means every registered participant (not cancelled,
 * waitlisted, pending or rejected); `checked_in` further requires an arrived participant. Previous
 * winners (confirmed winners of the event, passed in by the caller) are left out when the config asks.
 * The result is sorted by registration number: the verifiable draw indexes into that order.
 */
export function selectPoolWithReason<C extends DrawCandidate>(
  candidates: readonly C[],
  config: PoolConfig,
  previousWinnerIds: Iterable<string>,
): PoolSelection<C> {
  let pool = candidates.filter((c) => c.registrationStatus === 'registered');
  if (pool.length === 0) return { pool, emptyReason: 'no_registered_participants' };
  if (config.participant_pool === 'checked_in') {
    pool = pool.filter((c) => c.checkinStatus === 'checked_in');
    if (pool.length === 0) return { pool, emptyReason: 'no_checked_in_participants' };
  }
  if (config.exclude_previous_winners) {
    const excluded = new Set(previousWinnerIds);
    pool = pool.filter((c) => !excluded.has(c.id));
    if (pool.length === 0) return { pool, emptyReason: 'all_previous_winners' };
  }
  const filter = config.filter;
  if (filter) {
    pool = pool.filter((c) => matchesFilter(c.customResponses, filter));
    if (pool.length === 0) return { pool, emptyReason: 'no_filter_match' };
  }
  pool.sort((a, b) => a.registrationNumber - b.registrationNumber);
  return { pool, emptyReason: null };
}

export function selectPool<C extends DrawCandidate>(
  candidates: readonly C[],
  config: PoolConfig,
  previousWinnerIds: Iterable<string>,
): C[] {
  return selectPoolWithReason(candidates, config, previousWinnerIds).pool;
}

export const EMPTY_POOL_MESSAGES: Record<EmptyPoolReason, string> = {
  no_registered_participants: 'The event has no registered participants to draw from.',
  no_checked_in_participants: 'No registered participant is checked in yet.',
  all_previous_winners: 'Every eligible participant has already won (previous winners are excluded).',
  no_filter_match: 'No eligible participant matches the filter.',
};
