import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it('accepts the ways Koreans type a mobile number', () => {
    for (const input of [
      '010-1234-5678',
      '01012345678',
      '+82 10 1234 5678',
      '+82-10-1234-5678',
      '+82 010 1234 5678',
      '0082 10 1234 5678',
      '010.1234.5678',
      '(010) 1234 5678',
    ]) {
      expect(normalizePhone(input), input).toBe('010-1234-5678');
    }
  });

  it('formats landlines and old mobile prefixes', () => {
    expect(normalizePhone('0212345678')).toBe('02-1234-5678');
    expect(normalizePhone('021234567')).toBe('02-123-4567');
    expect(normalizePhone('031-123-4567')).toBe('031-123-4567');
    expect(normalizePhone('0111234567')).toBe('011-123-4567');
  });

  it('keeps foreign numbers in E.164', () => {
    expect(normalizePhone('+49 151 1234 5678')).toBe('+4915112345678');
  });

  it('rejects garbage', () => {
    for (const input of ['', 'abc', '12345', '010-12', '+0 123', '010-1234-56789-1']) {
      expect(normalizePhone(input), input).toBeUndefined();
    }
  });

  it('is idempotent and format-independent for every mobile number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (rest) => {
        const a = normalizePhone(`010${rest}`);
        const b = normalizePhone(`+82 10 ${rest.slice(0, 4)} ${rest.slice(4)}`);
        expect(a).toBe(`010-${rest.slice(0, 4)}-${rest.slice(4)}`);
        expect(b).toBe(a);
        expect(normalizePhone(a!)).toBe(a);
      }),
    );
  });
});

describe('maskPhone', () => {
  it('hides the middle part', () => {
    expect(maskPhone('010-1234-5678')).toBe('010-****-5678');
    expect(maskPhone('02-123-4567')).toBe('02-***-4567');
    expect(maskPhone('+4915112345678')).toBe('+491******5678');
  });
});
