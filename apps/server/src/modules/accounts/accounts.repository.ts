import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import {
  type AccountTokenPurpose,
  type AccountTokenRow,
  accountTokens,
  refreshTokens,
  type SessionRow,
  sessions,
  type UserRow,
  users,
} from './accounts.tables.ts';

export type NewUser = typeof users.$inferInsert;
export type UserPatch = Partial<
  Pick<UserRow, 'name' | 'organization' | 'profileImageUrl' | 'language' | 'notifications' | 'timezone'>
>;

/** The only code that touches the users, sessions and refresh_tokens tables. */
export function createAccountsRepository(db: Db) {
  return {
    /** Inserts the user; returns undefined when the e-mail is taken (unique index decides, no race). */
    async insertUser(user: NewUser, tx: Db = db): Promise<UserRow | undefined> {
      const rows = await tx
        .insert(users)
        .values(user)
        .onConflictDoNothing({ target: users.email })
        .returning();
      return rows[0];
    },

    async findUserByEmail(email: string, tx: Db = db): Promise<UserRow | undefined> {
      const rows = await tx.select().from(users).where(eq(users.email, email)).limit(1);
      return rows[0];
    },

    async findUserById(id: string, tx: Db = db): Promise<UserRow | undefined> {
      const rows = await tx.select().from(users).where(eq(users.id, id)).limit(1);
      return rows[0];
    },

    async findUsersByIds(ids: string[]): Promise<UserRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(users).where(inArray(users.id, ids));
    },

    async updateUser(id: string, patch: UserPatch, now: Date): Promise<UserRow | undefined> {
      const rows = await db
        .update(users)
        .set({ ...patch, updatedAt: now })
        .where(eq(users.id, id))
        .returning();
      return rows[0];
    },

    async recordLogin(id: string, at: Date): Promise<UserRow | undefined> {
      const rows = await db.update(users).set({ lastLogin: at }).where(eq(users.id, id)).returning();
      return rows[0];
    },

    async setTier(id: string, tier: UserRow['tier'], now: Date): Promise<void> {
      await db.update(users).set({ tier, updatedAt: now }).where(eq(users.id, id));
    },

    async createSession(
      input: { userId: string; expiresAt: Date; userAgent: string | null; ip: string | null },
      refreshHash: string,
    ): Promise<SessionRow> {
      return db.transaction(async (tx) => {
        const [session] = await tx.insert(sessions).values(input).returning();
        await tx.insert(refreshTokens).values({ tokenHash: refreshHash, sessionId: session!.id });
        return session!;
      });
    },

    async findSession(id: string): Promise<SessionRow | undefined> {
      const rows = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
      return rows[0];
    },

    async revokeSession(id: string, reason: string, at: Date): Promise<void> {
      await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
    },

    /**
     * Rotates a refresh token atomically. The token row is locked, so of two concurrent uses exactly
     * one rotates and the other sees it used — which counts as reuse and revokes the session.
     */
    async rotateRefreshToken(
      oldHash: string,
      newHash: string,
      now: Date,
    ): Promise<
      { kind: 'rotated'; session: SessionRow } | { kind: 'reused'; sessionId: string } | { kind: 'invalid' }
    > {
      return db.transaction(async (tx) => {
        const [token] = await tx
          .select()
          .from(refreshTokens)
          .where(eq(refreshTokens.tokenHash, oldHash))
          .for('update')
          .limit(1);
        if (!token) return { kind: 'invalid' } as const;
        const [session] = await tx.select().from(sessions).where(eq(sessions.id, token.sessionId)).limit(1);
        if (!session || session.revokedAt || session.expiresAt <= now) return { kind: 'invalid' } as const;
        if (token.usedAt) {
          await tx
            .update(sessions)
            .set({ revokedAt: now, revokedReason: 'refresh_token_reuse' })
            .where(eq(sessions.id, session.id));
          return { kind: 'reused', sessionId: session.id } as const;
        }
        await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.tokenHash, oldHash));
        await tx.insert(refreshTokens).values({ tokenHash: newHash, sessionId: session.id });
        return { kind: 'rotated', session } as const;
      });
    },

    async insertAccountToken(
      tx: Db,
      row: {
        tokenHash: string;
        userId: string;
        purpose: AccountTokenPurpose;
        email: string;
        expiresAt: Date;
      },
    ): Promise<void> {
      await tx.insert(accountTokens).values(row);
    },

    /**
     * Uses a token once: marks it used and returns it, or undefined when it is unknown, of another
     * purpose, already used or expired. The conditional update decides between two concurrent uses.
     */
    async consumeAccountToken(
      tx: Db,
      tokenHash: string,
      purpose: AccountTokenPurpose,
      now: Date,
    ): Promise<AccountTokenRow | undefined> {
      const rows = await tx
        .update(accountTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(accountTokens.tokenHash, tokenHash),
            eq(accountTokens.purpose, purpose),
            isNull(accountTokens.usedAt),
            gt(accountTokens.expiresAt, now),
          ),
        )
        .returning();
      return rows[0];
    },

    /** Retires every open token of a purpose (a reset used, a newer link sent). */
    async retireAccountTokens(
      tx: Db,
      userId: string,
      purpose: AccountTokenPurpose,
      now: Date,
    ): Promise<void> {
      await tx
        .update(accountTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(accountTokens.userId, userId),
            eq(accountTokens.purpose, purpose),
            isNull(accountTokens.usedAt),
          ),
        );
    },

    async markEmailVerified(tx: Db, userId: string, email: string, now: Date): Promise<UserRow | undefined> {
      const rows = await tx
        .update(users)
        .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
        .where(and(eq(users.id, userId), eq(users.email, email)))
        .returning();
      return rows[0];
    },

    async setPasswordHash(tx: Db, userId: string, passwordHash: string, now: Date): Promise<void> {
      await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
    },

    /** Revokes every live session of a user; returns their ids (their caches and sockets must go). */
    async revokeUserSessions(tx: Db, userId: string, reason: string, at: Date): Promise<string[]> {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return rows.map((r) => r.id);
    },

    async countUsers(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
      return row?.n ?? 0;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
