import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { Secrets } from './secrets.ts';

/**
 * Personal data at rest: AES-256-GCM with a random 96-bit IV per value. The key id travels with the
 * ciphertext ("v1:<keyId>:<iv>:<tag>:<ct>", base64url parts), so keys can rotate: new values use
 * the active key, old values decrypt with the key they name.
 */
export interface PiiCipher {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
  /** Keyed HMAC-SHA256 (hex) of a value already normalised by the caller: a blind index. */
  blindIndex(normalised: string): string;
}

const FORMAT = 'v1';

export function createPiiCipher(
  secrets: Pick<Secrets, 'piiKeys' | 'piiActiveKeyId' | 'piiIndexKey'>,
): PiiCipher {
  // KeyObjects made once: passing raw Buffers makes node:crypto build a key object on every call,
  // which costs several times the AES/HMAC work itself for values this short.
  const keys = new Map<string, KeyObject>(
    [...secrets.piiKeys].map(([id, key]) => [id, createSecretKey(key)]),
  );
  const indexKey = createSecretKey(secrets.piiIndexKey);
  const activeKey = keys.get(secrets.piiActiveKeyId);
  if (!activeKey) throw new Error(`PII key "${secrets.piiActiveKeyId}" is missing`);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', activeKey, iv);
      // The key id is authenticated too, so a value cannot be relabelled to another key.
      cipher.setAAD(Buffer.from(secrets.piiActiveKeyId));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        FORMAT,
        secrets.piiActiveKeyId,
        iv.toString('base64url'),
        tag.toString('base64url'),
        ct.toString('base64url'),
      ].join(':');
    },
    decrypt(stored) {
      const [format, keyId, iv, tag, ct] = stored.split(':');
      if (format !== FORMAT || !keyId || iv === undefined || tag === undefined || ct === undefined) {
        throw new Error('Unrecognised encrypted value');
      }
      const key = keys.get(keyId);
      if (!key) throw new Error(`PII key "${keyId}" is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
    blindIndex(normalised) {
      return createHmac('sha256', indexKey).update(normalised, 'utf8').digest('hex');
    },
  };
}

/** The one normal form of an e-mail for indexing: trimmed, NFC, lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
