import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, normaliseEmail } from './pii.ts';
import { generateTestSecrets } from './secrets.ts';

describe('PII cipher', () => {
  const secrets = generateTestSecrets();
  const cipher = createPiiCipher(secrets);

  it('round-trips and uses a fresh IV every time', () => {
    const a = cipher.encrypt('hong@example.com');
    const b = cipher.encrypt('hong@example.com');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1:k1:')).toBe(true);
    expect(a).not.toContain('hong');
    expect(cipher.decrypt(a)).toBe('hong@example.com');
    expect(cipher.decrypt(cipher.encrypt('010-1234-5678 홍길동'))).toBe('010-1234-5678 홍길동');
  });

  it('rejects tampered ciphertext and relabelled key ids', () => {
    const parts = cipher.encrypt('secret').split(':');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0]! ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 4), ct.toString('base64url')].join(':'))).toThrow();
  });

  it('decrypts values written with an older key after rotation', () => {
    const k2 = randomBytes(32);
    const old = cipher.encrypt('old@example.com');
    const rotated = createPiiCipher({
      piiKeys: new Map([...secrets.piiKeys, ['k2', k2]]),
      piiActiveKeyId: 'k2',
      piiIndexKey: secrets.piiIndexKey,
    });
    expect(rotated.decrypt(old)).toBe('old@example.com');
    expect(rotated.encrypt('new').startsWith('v1:k2:')).toBe(true);
    expect(rotated.blindIndex('a@b.c')).toBe(cipher.blindIndex('a@b.c'));
  });

  it('blind index is deterministic on the normalised e-mail', () => {
    expect(cipher.blindIndex(normaliseEmail(' Hong@Example.COM '))).toBe(
      cipher.blindIndex('hong@example.com'),
    );
    expect(cipher.blindIndex('a@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });
});
