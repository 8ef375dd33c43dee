import type { Tier } from '@eventmanager/domain/accounts/schema';
import type { Language } from '@eventmanager/domain/common/schema';
import type { Db } from '../../platform/db/database.ts';
import { createAccountsRepository } from './accounts.repository.ts';

/**
 * The accounts module's functions for other modules that must work inside their own transaction
 * (billing changes an account's tier in the transaction that activates or ends a subscription).
 */

export async function getTier(db: Db, userId: string): Promise<Tier> {
  return (await createAccountsRepository(db).findUserById(userId))?.tier ?? 'free';
}

export async function setTier(db: Db, userId: string, tier: Tier, now: Date): Promise<void> {
  await createAccountsRepository(db).setTier(userId, tier, now);
}

/** Who to bill and write to: the account's e-mail, name and language; undefined for an unknown id. */
export async function getBillingContact(
  db: Db,
  userId: string,
): Promise<{ email: string; name: string; language: Language } | undefined> {
  const user = await createAccountsRepository(db).findUserById(userId);
  return user ? { email: user.email, name: user.name, language: user.language } : undefined;
}
