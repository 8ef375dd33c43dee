import type { User } from '@eventmanager/domain/accounts/schema';
import type { UserRow } from './accounts.tables.ts';

/** The public shape of a user (API.md / seed `User`), never including the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    profile: {
      name: row.name,
      organization: row.organization,
      profile_image_url: row.profileImageUrl,
    },
    tier: row.tier,
    subscription: null,
    preferences: { language: row.language, notifications: row.notifications, timezone: row.timezone },
    email_verified: row.emailVerifiedAt !== null,
    created_at: row.createdAt.toISOString(),
    last_login: row.lastLogin ? row.lastLogin.toISOString() : null,
  };
}
