import { z } from 'zod';
import { emailSchema, languageSchema, timeZoneSchema, webUrlSchema } from '../common/schema.ts';

export const tierSchema = z.enum(['free', 'basic_premium', 'pro_premium']);
export type Tier = z.infer<typeof tierSchema>;

export const PASSWORD_MIN_LENGTH = 8;
/**
 * A new password: at least 8 characters that are not all blank (eight spaces is no password).
 * argon2 has no 72-byte limit like bcrypt, but an upper bound keeps hashing cost bounded. The
 * server also refuses passwords on a common-password list (code `weak_password`).
 */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(256)
  .refine((p) => p.trim().length > 0, { message: 'A password cannot be only spaces' });
export const personNameSchema = z.string().trim().min(1).max(100);

export const profileSchema = z.object({
  name: personNameSchema,
  organization: z.string().trim().max(200).nullable().optional(),
  profile_image_url: webUrlSchema.nullable().optional(),
});
export type Profile = z.infer<typeof profileSchema>;

export const preferencesSchema = z.object({
  language: languageSchema,
  notifications: z.boolean(),
  timezone: timeZoneSchema,
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const subscriptionSummarySchema = z.object({
  status: z.enum(['active', 'cancelled', 'expired']),
  current_period_start: z.string(),
  current_period_end: z.string(),
  payment_method_id: z.string().nullable().optional(),
});

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  profile: profileSchema,
  tier: tierSchema,
  subscription: subscriptionSummarySchema.nullable(),
  preferences: preferencesSchema,
  /** False until the address was proved through the link e-mailed at sign-up. */
  email_verified: z.boolean(),
  created_at: z.string(),
  last_login: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

/**
 * The version of the service terms and privacy policy a sign-up accepts; stored with the time of
 * consent. Change it when the documents change.
 */
export const TERMS_VERSION = '2026-12-01';

export const signupBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema,
  /** Consent to the service terms and the privacy policy; an account cannot exist without it. */
  accept_terms: z.literal(true),
  language: languageSchema.optional(),
  timezone: timeZoneSchema.optional(),
});
export type SignupBody = z.infer<typeof signupBodySchema>;

export const loginBodySchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const refreshBodySchema = z.strictObject({ refresh_token: z.string().min(20).max(200) });

export const authResultSchema = z.object({
  user: userSchema,
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
export type AuthResult = z.infer<typeof authResultSchema>;

export const patchMeBodySchema = z.strictObject({
  profile: profileSchema.partial().strict().optional(),
  preferences: preferencesSchema.partial().strict().optional(),
});
export type PatchMeBody = z.infer<typeof patchMeBodySchema>;

/** A single-use token from an e-mailed link (URL-safe base64). */
export const linkTokenSchema = z
  .string()
  .min(20)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);

export const verifyEmailBodySchema = z.strictObject({ token: linkTokenSchema });
export type VerifyEmailBody = z.infer<typeof verifyEmailBodySchema>;

export const passwordResetBodySchema = z.strictObject({ email: emailSchema });
export type PasswordResetBody = z.infer<typeof passwordResetBodySchema>;

export const passwordResetConfirmBodySchema = z.strictObject({
  token: linkTokenSchema,
  password: passwordSchema,
});
export type PasswordResetConfirmBody = z.infer<typeof passwordResetConfirmBodySchema>;

/** Where e-mailed links lead in the web app (the token is the last path segment). */
export const ACCOUNT_LINK_PATHS = {
  verifyEmail: '/verify-email',
  passwordReset: '/reset-password',
  invitation: '/invitations',
} as const;
