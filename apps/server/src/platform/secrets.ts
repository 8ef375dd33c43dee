import { createHmac, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { ensurePrivateDir } from './private-files.ts';

export interface Secrets {
  /** HS256 signing key for access tokens and signed links. */
  jwtKey: Uint8Array;
  /** AES-256 keys for personal data, by key id; the active one encrypts, all of them decrypt. */
  piiKeys: Map<string, Buffer>;
  piiActiveKeyId: string;
  /** HMAC key for blind indexes of personal data (lookups and uniqueness without plaintext). */
  piiIndexKey: Buffer;
}

interface StoredSecrets {
  jwt_secret: string;
  pii_keys: string;
  pii_active_key_id: string;
}

export function parsePiiKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',')) {
    const [id, b64] = part.trim().split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : undefined;
    if (!id || !key || key.length !== 32) {
      throw new Error('PII_KEYS must be "id:<base64 of 32 bytes>[,id:<...>]"');
    }
    keys.set(id, key);
  }
  return keys;
}

function build(jwtSecret: string, piiSpec: string, activeId: string | undefined): Secrets {
  const piiKeys = parsePiiKeys(piiSpec);
  const piiActiveKeyId = activeId ?? [...piiKeys.keys()].at(-1)!;
  const first = piiKeys.get(piiActiveKeyId);
  if (!first) throw new Error(`PII_ACTIVE_KEY_ID "${piiActiveKeyId}" is not among PII_KEYS`);
  // The blind-index key must survive key rotation (stored indexes would break otherwise), so it is
  // derived from the first key listed; rotation appends new keys and keeps the old ones.
  const indexBase = [...piiKeys.values()][0]!;
  const piiIndexKey = createHmac('sha256', indexBase).update('eventmanager/pii-blind-index/v1').digest();
  return { jwtKey: new TextEncoder().encode(jwtSecret), piiKeys, piiActiveKeyId, piiIndexKey };
}

/**
 * Secrets come from configuration. On the embedded default, missing ones are generated once into
 * DATA_DIR/secrets.json (mode 0600) so `npm start` needs no setup; config.ts already refuses to start
 * a shared-database deployment without them, since every instance must use the same keys.
 */
export async function resolveSecrets(config: Config): Promise<Secrets> {
  if (config.jwtSecret && config.piiKeys) {
    return build(config.jwtSecret, config.piiKeys, config.piiActiveKeyId);
  }
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: StoredSecrets;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as StoredSecrets;
  } catch {
    stored = {
      jwt_secret: randomBytes(48).toString('base64url'),
      pii_keys: `k1:${randomBytes(32).toString('base64')}`,
      pii_active_key_id: 'k1',
    };
    await ensurePrivateDir(config.dataDir);
    await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' }).catch(async () => {
      // Another process created it first: use theirs.
      stored = JSON.parse(await readFile(file, 'utf8')) as StoredSecrets;
    });
  }
  return build(
    config.jwtSecret ?? stored.jwt_secret,
    config.piiKeys ?? stored.pii_keys,
    config.piiActiveKeyId ?? (config.piiKeys ? undefined : stored.pii_active_key_id),
  );
}

export function generateTestSecrets(): Secrets {
  return build(randomBytes(48).toString('base64url'), `k1:${randomBytes(32).toString('base64')}`, 'k1');
}
