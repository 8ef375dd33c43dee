import { ApiError } from '../../api/problem.ts';

/** Reasons the drawings API refuses a draw, each with its own translated message. */
export const KNOWN_CODES = [
  'no_registered_participants',
  'no_checked_in_participants',
  'all_previous_winners',
  'no_filter_match',
  'pool_too_small',
  'prize_drawing_disabled',
  'unknown_filter_field',
  'unfilterable_field',
  'drawing_discarded',
  'commitment_used',
] as const;
export type KnownCode = (typeof KNOWN_CODES)[number];

/** The problem's machine-readable `code`, when it is one this screen explains itself. */
export function problemCode(error: unknown): KnownCode | null {
  if (!(error instanceof ApiError)) return null;
  const code = (error.problem as { code?: unknown }).code;
  return typeof code === 'string' && (KNOWN_CODES as readonly string[]).includes(code)
    ? (code as KnownCode)
    : null;
}
