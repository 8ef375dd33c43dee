import { randomInt } from 'node:crypto';

/**
 * Share codes are read aloud, typed from posters and printed in QR codes, so the alphabet drops the
 * characters people confuse (0/O/o, 1/l/I). 56 symbols ^ 10 ≈ 3·10^17 codes: unguessable enough for
 * private-by-link events, and collisions are rare enough that the insert simply retries.
 */
export const SHARE_CODE_ALPHABET = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
export const SHARE_CODE_LENGTH = 10;

/** Uniform over the alphabet: crypto.randomInt has no modulo bias. */
export function newShareCode(length = SHARE_CODE_LENGTH): string {
  let code = '';
  for (let i = 0; i < length; i++) code += SHARE_CODE_ALPHABET[randomInt(SHARE_CODE_ALPHABET.length)];
  return code;
}
