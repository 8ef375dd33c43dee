import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * n unguessable ticket codes for QRs (128 random bits each), never the database id; one call to
 * the random source for all of them (a registration batch needs hundreds).
 */
export function newTicketCodes(n: number): string[] {
  const bytes = randomBytes(16 * n);
  return Array.from({ length: n }, (_, i) => bytes.toString('base64url', 16 * i, 16 * (i + 1)));
}

const UUID_HEX = /^[0-9a-f]{32}$/;

/**
 * Self-service manage token: the participant id and a truncated HMAC of it under the server's
 * signing key. Short enough for a URL in an e-mail, unforgeable, and valid as long as the
 * registration exists (cancel and deletion act on the row, so there is nothing to revoke).
 */
export function signManageToken(key: Uint8Array, participantId: string): string {
  const id = Buffer.from(participantId.replace(/-/g, ''), 'hex');
  return `${id.toString('base64url')}.${mac(key, participantId).toString('base64url')}`;
}

/** The participant id the token was signed for, or undefined when it is forged or malformed. */
export function verifyManageToken(key: Uint8Array, token: string): string | undefined {
  const [idPart, macPart] = token.split('.');
  if (!idPart || !macPart || token.split('.').length !== 2) return undefined;
  const hex = Buffer.from(idPart, 'base64url').toString('hex');
  if (!UUID_HEX.test(hex)) return undefined;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(key, id);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return id;
}

const keyObjects = new WeakMap<Uint8Array, KeyObject>();

function mac(key: Uint8Array, participantId: string): Buffer {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key);
    keyObjects.set(key, keyObject);
  }
  return createHmac('sha256', keyObject)
    .update(`eventmanager/manage/v1:${participantId}`)
    .digest()
    .subarray(0, 18);
}
