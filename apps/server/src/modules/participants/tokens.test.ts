import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newTicketCodes, signManageToken, verifyManageToken } from './tokens.ts';

describe('manage tokens', () => {
  const key = randomBytes(48);

  it('verify what was signed, for any participant id', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(verifyManageToken(key, signManageToken(key, id))).toBe(id);
      }),
    );
  });

  it('reject another key, a swapped id, and garbage', () => {
    const id = randomUUID();
    const token = signManageToken(key, id);
    expect(verifyManageToken(randomBytes(48), token)).toBeUndefined();
    const other = signManageToken(key, randomUUID());
    expect(verifyManageToken(key, `${other.split('.')[0]}.${token.split('.')[1]}`)).toBeUndefined();
    for (const bad of ['', '.', 'abc', `${token}.x`, token.slice(0, -2), token.replace('.', '')]) {
      expect(verifyManageToken(key, bad)).toBeUndefined();
    }
  });

  it('ticket codes are 128-bit, url-safe and distinct', () => {
    const codes = new Set([...newTicketCodes(1000), ...newTicketCodes(1), ...newTicketCodes(999)]);
    expect(codes.size).toBe(2000);
    expect(newTicketCodes(0)).toEqual([]);
    for (const c of codes) expect(c).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
