import type {
  AuthResult,
  LoginBody,
  PatchMeBody,
  SignupBody,
  User,
} from '@eventmanager/domain/accounts/schema';
import type { Bus } from '../../platform/bus/bus.ts';
import { createLocalMemo } from '../../platform/cache/local-memo.ts';
import type { Platform } from '../../platform/platform.ts';
import { conflict, notFound, tooManyRequests, unauthorized } from '../../platform/problem.ts';
import { toUser } from './accounts.mapper.ts';
import { type AccountsRepository, createAccountsRepository, type UserPatch } from './accounts.repository.ts';
import type { UserRow } from './accounts.tables.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  type AccessClaims,
  hashRefreshToken,
  newRefreshToken,
  SESSION_TTL_SECONDS,
  signAccessToken,
  verifyAccessToken,
} from './tokens.ts';

/**
 * 10 failed logins a minute lock one e-mail out (credential guessing). Per IP the bound is higher:
 * a venue's Wi-Fi puts a whole staff team behind one address, and one typo-prone person must not
 * lock out the others; 30 a minute still stops spraying many e-mails from one address.
 */
const LOGIN_FAILURE_LIMIT_PER_EMAIL = 10;
const LOGIN_FAILURE_LIMIT_PER_IP = 30;
const LOGIN_FAILURE_WINDOW_SECONDS = 60;
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

export function createAccountsService(platform: Platform) {
  const repo: AccountsRepository = createAccountsRepository(platform.database.db);
  const { cache, clock, secrets } = platform;
  let subscriptionOf: SubscriptionReader = async () => null;
  /**
   * Live sessions remembered per instance for a few seconds: every authenticated request asks, and
   * a check-in phone asks several times a second. Revocation (logout, refresh-token reuse) drops
   * the shared cache entry, then this memo on every instance, and answers only once every instance
   * acknowledged: a logout bites everywhere at once. While the bus is down, the TTL bounds it.
   */
  const sessions = createLocalMemo<LiveSession>({ channel: 'accounts:sessions', ttlMs: SESSION_MEMO_TTL_MS });
  async function forgetSession(sessionId: string): Promise<void> {
    await cache.del(`session:${sessionId}`);
    await sessions.invalidate(sessionId);
  }

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

  async function checkLoginThrottle(keys: string[]): Promise<void> {
    for (const key of keys) {
      const failures = (await cache.get<number>(key)) ?? 0;
      const limit = key.startsWith('login-fail:ip:')
        ? LOGIN_FAILURE_LIMIT_PER_IP
        : LOGIN_FAILURE_LIMIT_PER_EMAIL;
      if (failures >= limit) {
        throw tooManyRequests('Too many failed logins. Try again in a minute.', LOGIN_FAILURE_WINDOW_SECONDS);
      }
    }
  }

  return {
    repo,

    async signup(body: SignupBody, client: ClientInfo): Promise<AuthResult> {
      const now = clock.now();
      const user = await repo.insertUser({
        email: body.email,
        passwordHash: await hashPassword(body.password),
        name: body.name,
        ...(body.language ? { language: body.language } : {}),
        ...(body.timezone ? { timezone: body.timezone } : {}),
        lastLogin: now,
      });
      if (!user) throw conflict('An account with this e-mail already exists', 'email_taken');
      return issueSession(user, client);
    },

    async login(body: LoginBody, client: ClientInfo): Promise<AuthResult> {
      const keys = [`login-fail:email:${body.email}`, ...(client.ip ? [`login-fail:ip:${client.ip}`] : [])];
      await checkLoginThrottle(keys);
      const user = await repo.findUserByEmail(body.email);
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!user || !ok) {
        await Promise.all(keys.map((k) => cache.incr(k, LOGIN_FAILURE_WINDOW_SECONDS)));
        throw unauthorized('Wrong e-mail or password');
      }
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
    async authenticate(token: string): Promise<AccessClaims | null> {
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
