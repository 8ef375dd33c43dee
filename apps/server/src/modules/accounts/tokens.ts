import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'eventmanager';
const AUDIENCE = 'eventmanager-api';

/**
 * jose turns raw key bytes into a KeyObject on every sign/verify (about 1 ms of CPU each); every
 * authenticated request verifies a token, so the KeyObject is made once per key.
 */
const keyObjects = new WeakMap<Uint8Array, KeyObject>();
function keyObject(key: Uint8Array): KeyObject {
  let made = keyObjects.get(key);
  if (!made) {
    made = createSecretKey(key);
    keyObjects.set(key, made);
  }
  return made;
}

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** A verified access token: its claims and when it expires (ms since the epoch). */
export interface VerifiedAccess extends AccessClaims {
  expiresAt: number;
}

export async function signAccessToken(key: Uint8Array, claims: AccessClaims, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(keyObject(key));
}

/**
 * Tokens already verified with a key, with their expiry: a device sends the same token with every
 * request for up to 15 minutes, and jose verifies through WebCrypto (about half a millisecond of
 * CPU each). The token string is the whole input of the signature check, so a remembered success
 * stays true for that key; expiry is still checked against `now` on every call. Bounded: when full
 * it starts over.
 */
const VERIFIED_MAX = 20_000;
const verified = new WeakMap<Uint8Array, Map<string, { claims: VerifiedAccess; exp: number }>>();

export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
  now: Date,
): Promise<VerifiedAccess | null> {
  let known = verified.get(key);
  if (!known) {
    known = new Map();
    verified.set(key, known);
  }
  const hit = known.get(token);
  if (hit) return hit.exp > now.getTime() / 1000 ? hit.claims : null;
  try {
    const { payload } = await jwtVerify(token, keyObject(key), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
      // A token that never expires would outlive every revocation window: refuse it outright.
      requiredClaims: ['exp', 'sub', 'sid'],
    });
    // A token without an expiry would outlive every check that ends access: never accepted.
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number')
      return null;
    const claims = { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
    if (known.size >= VERIFIED_MAX) known.clear();
    known.set(token, { claims, exp: payload.exp });
    return claims;
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}

/**
 * Refresh tokens and e-mailed link tokens are opaque random strings (URL-safe base64, so a link
 * carries them as one path segment); only their SHA-256 is stored.
 */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The same kind of token for single-use e-mailed links (verification, reset, invitations). */
export const newLinkToken = newRefreshToken;
export const hashLinkToken = hashRefreshToken;
