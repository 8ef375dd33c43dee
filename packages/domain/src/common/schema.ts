import { z } from 'zod';
import { isValidTimeZone } from './timezone.ts';

/** E-mail as typed by a person: trimmed and lower-cased before validation so lookups are case-insensitive. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be a valid e-mail address' }));

export const timeZoneSchema = z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone' });

export const languageSchema = z.enum(['ko', 'en']);
export type Language = z.infer<typeof languageSchema>;

export const uuidSchema = z.uuid();

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A link or image address people's browsers will open: `https:` only, so a page served over TLS
 * never loads or links plain-http content (and never `javascript:` or `data:`). Plain `http:` is
 * accepted for loopback hosts only, the addresses a development machine serves itself on.
 */
export const webUrlSchema = z
  .url({ protocol: /^https?$/, message: 'must be an https URL' })
  .max(2000)
  .refine((value) => {
    // Refinements run even after a failed check: an unparsable value must not throw here.
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
    } catch {
      return false;
    }
  }, 'must be an https URL');

/** RFC 9457 problem details as every error response carries them. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
