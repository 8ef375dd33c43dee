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

/** RFC 9457 problem details as every error response carries them. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
