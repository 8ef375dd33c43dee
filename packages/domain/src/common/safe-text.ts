import { z } from 'zod';

/**
 * The one rule for "text that can be stored": no NUL character (PostgreSQL text cannot hold one) and
 * no unpaired UTF-16 surrogate (it has no UTF-8 form; a name like that cannot be stored, e-mailed or
 * exported). The server applies it to every string and key of every request (path, query, JSON body)
 * and to imported spreadsheet cells; schemas use `safeText()` to report it on the field.
 */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (!text.isWellFormed()) return 'must not contain an unpaired surrogate character';
  return undefined;
}

/** A string schema that refuses NUL characters and unpaired surrogates. */
export const safeText = () =>
  z.string().superRefine((text, ctx) => {
    const reason = unsafeTextReason(text);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });

/**
 * Keys that name members every plain object inherits (`__proto__`, `constructor`, `toString`, …):
 * as the id of a form field or the header of an imported column they would read or overwrite
 * the prototype's member instead of data, so they are refused where ids are chosen.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);
export const isReservedKey = (key: string): boolean => RESERVED_KEYS.has(key);

export interface UnsafeText {
  /** Dotted path to the string (or object key) that broke the rule. */
  path: string;
  message: string;
}

/** The first string or object key in a parsed JSON value that breaks the safe-text rule. */
export function findUnsafeText(value: unknown, path = ''): UnsafeText | undefined {
  if (typeof value === 'string') {
    const message = unsafeTextReason(value);
    return message ? { path, message } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    const keyReason = unsafeTextReason(key);
    if (keyReason) return { path: at, message: `key ${keyReason}` };
    const found = findUnsafeText((value as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return undefined;
}
