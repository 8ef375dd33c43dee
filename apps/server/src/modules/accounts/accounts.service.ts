import {
  ACCOUNT_LINK_PATHS,
  type AuthResult,
  type LoginBody,
  type PasswordResetConfirmBody,
  type PatchMeBody,
  type SignupBody,
  TERMS_VERSION,
  type User,
} from '@eventmanager/domain/accounts/schema';
import type { Bus } from '../../platform/bus/bus.ts';
import { createLocalMemo } from '../../platform/cache/local-memo.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Platform } from '../../platform/platform.ts';
import { conflict, HttpProblem, notFound, unauthorized } from '../../platform/problem.ts';
import { enqueueMail } from '../notifications/notifications.api.ts';
import { publishAccessRevocation } from '../realtime/realtime.api.ts';
import { toUser } from './accounts.mapper.ts';
import { type AccountsRepository, createAccountsRepository, type UserPatch } from './accounts.repository.ts';
import type { UserRow } from './accounts.tables.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { assertStrongPassword } from './password-policy.ts';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  hashLinkToken,
  hashRefreshToken,
  newLinkToken,
  newRefreshToken,
  SESSION_TTL_SECONDS,
  signAccessToken,
  type VerifiedAccess,
  verifyAccessToken,
} from './tokens.ts';

/** A verification link works for 3 days; a password-reset link for 1 hour (it grants the account). */
const VERIFY_EMAIL_TTL_MS = 3 * 24 * 60 * 60 * 1000;
const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/** Sessions are cached per the seed's table (session:{id}, 7 days); revocation deletes the entry. */
const SESSION_CACHE_TTL_SECONDS = SESSION_TTL_SECONDS;
/** How long an instance trusts its own copy of a live session (revocation drops it at once). */
const SESSION_MEMO_TTL_MS = 10_000;
/** What the shared cache keeps per live session. */
interface LiveSession {
  userId: string;
  expiresAt: number;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Reads the account's running subscription (the billing module provides it once registered). */
export type SubscriptionReader = (userId: string) => Promise<User['subscription']>;

export interface AccountsOptions {
  /** PUBLIC_URL: the base of the links e-mailed to account holders. */
  publicUrl: string;
}

export function createAccountsService(platform: Platform, options: AccountsOptions) {
  const db = platform.database.db;
  const repo: AccountsRepository = createAccountsRepository(db);
  const { bus, cache, clock, secrets } = platform;
  const linkTo = (path: string, token: string) => `${options.publicUrl}${path}/${token}`;
  let subscriptionOf: SubscriptionReader = async () => null;
  /**
   * Live sessions remembered per instance for a few seconds: every authenticated request asks, and
   * a check-in phone asks several times a second. Revocation (logout, refresh-token reuse) drops
   * the shared cache entry, then this memo on every instance, and answers only once every instance
   * acknowledged: a logout bites everywhere at once. While the bus is down, the TTL bounds it.
   */
  const sessions = createLocalMemo<LiveSession>({ channel: 'accounts:sessions', ttlMs: SESSION_MEMO_TTL_MS });
  async function forgetSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    // Sockets first: the memo's acknowledged invalidation below then also means they are closed.
    await publishAccessRevocation(bus, { kind: 'sessions', sessionIds });
    await Promise.all(sessionIds.map((id) => cache.del(`session:${id}`)));
    await Promise.all(sessionIds.map((id) => sessions.invalidate(id)));
  }
  const forgetSession = (sessionId: string) => forgetSessions([sessionId]);

  /** What each kind of e-mailed account link is: its token purpose, e-mail, page and lifetime. */
  const LINKS = {
    verify_email: {
      mail: 'email_verification',
      path: ACCOUNT_LINK_PATHS.verifyEmail,
      ttlMs: VERIFY_EMAIL_TTL_MS,
    },
    password_reset: {
      mail: 'password_reset',
      path: ACCOUNT_LINK_PATHS.passwordReset,
      ttlMs: PASSWORD_RESET_TTL_MS,
    },
  } as const;

  /**
   * Stores a single-use link for the user's current address and queues the e-mail carrying it, in
   * `tx` (with the change causing it).
   */
  async function sendLink(tx: Db, user: UserRow, purpose: keyof typeof LINKS, now: Date): Promise<void> {
    const kind = LINKS[purpose];
    const link = newLinkToken();
    const expiresAt = new Date(now.getTime() + kind.ttlMs);
    await repo.insertAccountToken(tx, {
      tokenHash: link.hash,
      userId: user.id,
      purpose,
      email: user.email,
      expiresAt,
    });
    await enqueueMail(tx, {
      type: kind.mail,
      recipient: user.email,
      data: {
        language: user.language,
        recipient_name: user.name,
        branding: null,
        link: linkTo(kind.path, link.token),
        expires_at: expiresAt.toISOString(),
        timezone: user.timezone,
      },
      scheduledAt: now,
    });
  }

  const invalidLink = () =>
    new HttpProblem(400, 'This link is invalid, was already used, or has expired', {
      code: 'invalid_or_expired_token',
    });

  async function issueSession(user: UserRow, client: ClientInfo): Promise<AuthResult> {
    const now = clock.now();
    const refresh = newRefreshToken();
    const session = await repo.createSession(
      {
        userId: user.id,
        expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        ip: client.ip,
      },
      refresh.hash,
    );
    return {
      user: toUser(user),
      access_token: await signAccessToken(secrets.jwtKey, { userId: user.id, sessionId: session.id }, now),
      refresh_token: refresh.token,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    };
  }

  return {
    repo,

    async signup(body: SignupBody, client: ClientInfo): Promise<AuthResult> {
      assertStrongPassword(body.password);
      const now = clock.now();
      const passwordHash = await hashPassword(body.password);
      const user = await db.transaction(async (tx) => {
        const inserted = await repo.insertUser(
          {
            email: body.email,
            passwordHash,
            name: body.name,
            ...(body.language ? { language: body.language } : {}),
            ...(body.timezone ? { timezone: body.timezone } : {}),
            lastLogin: now,
            termsAcceptedAt: now,
            termsVersion: TERMS_VERSION,
          },
          tx,
        );
        if (inserted) await sendLink(tx, inserted, 'verify_email', now);
        return inserted;
      });
      if (!user) throw conflict('An account with this e-mail already exists', 'email_taken');
      return issueSession(user, client);
    },

    /** A new verification link (the previous ones stop working); 409 when already verified. */
    async resendVerification(userId: string): Promise<void> {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const user = await repo.findUserById(userId, tx);
        if (!user) throw notFound('User');
        if (user.emailVerifiedAt)
          throw conflict('This e-mail address is already verified', 'already_verified');
        await repo.retireAccountTokens(tx, userId, 'verify_email', now);
        await sendLink(tx, user, 'verify_email', now);
      });
    },

    /** Proves the address the link was sent to (if it is still the account's address). */
    async verifyEmail(token: string): Promise<User> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const used = await repo.consumeAccountToken(tx, hashLinkToken(token), 'verify_email', now);
        if (!used) throw invalidLink();
        const user = await repo.markEmailVerified(tx, used.userId, used.email, now);
        if (!user) throw invalidLink();
        return toUser(user);
      });
    },

    /**
     * Sends a reset link when an account uses the address; answers the same either way, so the
     * caller learns nothing about which addresses have accounts.
     */
    async requestPasswordReset(email: string): Promise<void> {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const user = await repo.findUserByEmail(email, tx);
        if (user) await sendLink(tx, user, 'password_reset', now);
      });
    },

    /**
     * Sets the new password and revokes every session of the account (their sockets close too):
     * whoever knew the old password is out. Reading the link also proves the address.
     */
    async confirmPasswordReset(body: PasswordResetConfirmBody): Promise<void> {
      assertStrongPassword(body.password);
      const now = clock.now();
      const passwordHash = await hashPassword(body.password);
      const revoked = await db.transaction(async (tx) => {
        const used = await repo.consumeAccountToken(tx, hashLinkToken(body.token), 'password_reset', now);
        if (!used) throw invalidLink();
        await repo.retireAccountTokens(tx, used.userId, 'password_reset', now);
        await repo.setPasswordHash(tx, used.userId, passwordHash, now);
        await repo.markEmailVerified(tx, used.userId, used.email, now);
        return repo.revokeUserSessions(tx, used.userId, 'password_reset', now);
      });
      await forgetSessions(revoked);
    },

    /** Attempts are bounded per e-mail and per address by the route's limits, counted before this. */
    async login(body: LoginBody, client: ClientInfo): Promise<AuthResult> {
      const user = await repo.findUserByEmail(body.email);
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!user || !ok) throw unauthorized('Wrong e-mail or password');
      const updated = (await repo.recordLogin(user.id, clock.now())) ?? user;
      return issueSession(updated, client);
    },

    async refresh(refreshToken: string): Promise<AuthResult> {
      const now = clock.now();
      const next = newRefreshToken();
      const outcome = await repo.rotateRefreshToken(hashRefreshToken(refreshToken), next.hash, now);
      if (outcome.kind === 'reused') {
        await forgetSession(outcome.sessionId);
        throw unauthorized('This refresh token was already used; the session has been revoked');
      }
      if (outcome.kind === 'invalid') throw unauthorized('Invalid or expired refresh token');
      const user = await repo.findUserById(outcome.session.userId);
      if (!user) throw unauthorized('Invalid or expired refresh token');
      return {
        user: toUser(user),
        access_token: await signAccessToken(
          secrets.jwtKey,
          { userId: user.id, sessionId: outcome.session.id },
          now,
        ),
        refresh_token: next.token,
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
      };
    },

    /** Listens for session revocations on the bus (until then no session is remembered here). */
    attachSessionMemo(bus: Bus): Promise<() => Promise<void>> {
      return sessions.attach(bus);
    },

    async logout(sessionId: string): Promise<void> {
      await repo.revokeSession(sessionId, 'logout', clock.now());
      await forgetSession(sessionId);
    },

    /** Verifies an access token and that its session is still live (not logged out, not revoked). */
    async authenticate(token: string): Promise<VerifiedAccess | null> {
      const now = clock.now();
      const claims = await verifyAccessToken(secrets.jwtKey, token, now);
      if (!claims) return null;
      let live = sessions.get(claims.sessionId, 'live');
      if (!live) {
        const since = sessions.stamp();
        const cacheKey = `session:${claims.sessionId}`;
        live = await cache.get<LiveSession>(cacheKey);
        if (!live) {
          const session = await repo.findSession(claims.sessionId);
          if (!session || session.revokedAt) return null;
          live = { userId: session.userId, expiresAt: session.expiresAt.getTime() };
          const ttl = Math.min(SESSION_CACHE_TTL_SECONDS, (live.expiresAt - now.getTime()) / 1000);
          if (ttl > 0) await cache.set(cacheKey, live, ttl);
        }
        sessions.set(claims.sessionId, 'live', live, since);
      }
      if (live.userId !== claims.userId || live.expiresAt <= now.getTime()) return null;
      return claims;
    },

    async getMe(userId: string): Promise<User> {
      const user = await repo.findUserById(userId);
      if (!user) throw notFound('User');
      return { ...toUser(user), subscription: await subscriptionOf(userId) };
    },

    /** The billing module answers `User.subscription` (accounts owns no subscription data). */
    useSubscriptionReader(reader: SubscriptionReader): void {
      subscriptionOf = reader;
    },

    /** The account's tier (free for an unknown id); plan limits read it. */
    async tierOf(userId: string): Promise<User['tier']> {
      return (await repo.findUserById(userId))?.tier ?? 'free';
    },

    /** Public shape of the user with this (normalised) e-mail; used to invite event staff. */
    async findUserByEmail(email: string): Promise<User | undefined> {
      const user = await repo.findUserByEmail(email);
      return user ? toUser(user) : undefined;
    },

    /** Public shapes of several users at once (staff lists), in no particular order. */
    async getUsers(ids: string[]): Promise<User[]> {
      return (await repo.findUsersByIds(ids)).map(toUser);
    },

    async patchMe(userId: string, body: PatchMeBody): Promise<User> {
      const patch: UserPatch = {};
      const p = body.profile;
      if (p?.name !== undefined) patch.name = p.name;
      if (p?.organization !== undefined) patch.organization = p.organization;
      if (p?.profile_image_url !== undefined) patch.profileImageUrl = p.profile_image_url;
      const prefs = body.preferences;
      if (prefs?.language !== undefined) patch.language = prefs.language;
      if (prefs?.notifications !== undefined) patch.notifications = prefs.notifications;
      if (prefs?.timezone !== undefined) patch.timezone = prefs.timezone;
      const user = await repo.updateUser(userId, patch, clock.now());
      if (!user) throw notFound('User');
      return toUser(user);
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
