import { describe, expect, it } from 'vitest';
import { matches, searchKeyOf, ticketCodeFromScan } from './participant-search.ts';
import type { ParticipantRecord } from './types.ts';

const person = (name: string, email: string, n: number, phone: string | null = null): ParticipantRecord => ({
  id: `id-${n}`,
  eventId: 'e',
  name,
  email,
  phone,
  registrationNumber: n,
  registrationStatus: 'registered',
  ticketCode: `T${n}`,
  checkin: { status: 'not_checked_in', timestamp: null, deviceId: null },
  version: 1,
});

describe('participant search', () => {
  const hong = searchKeyOf(person('홍길동', 'gildong@example.com', 42, '010-1234-5678'));
  const kim = searchKeyOf(person('Kim 민수', 'minsu@example.com', 7));

  it('finds by 초성, name, e-mail, number and phone', () => {
    expect(matches(hong, 'ㅎㄱㄷ')).toBe(true);
    expect(matches(hong, 'ㄱㄷ')).toBe(true);
    expect(matches(kim, 'ㅎㄱㄷ')).toBe(false);
    expect(matches(kim, 'ㅁㅅ')).toBe(true);
    expect(matches(hong, '길동')).toBe(true);
    expect(matches(kim, 'KIM')).toBe(true);
    expect(matches(hong, 'GILDONG@')).toBe(true);
    expect(matches(hong, '#042')).toBe(true);
    expect(matches(hong, '42')).toBe(true);
    expect(matches(hong, '4')).toBe(false);
    expect(matches(hong, '5678')).toBe(true);
    expect(matches(kim, '5678')).toBe(false);
    expect(matches(kim, '')).toBe(true);
  });

  it('ignores spaces in names and keeps to the visible digits of a masked phone', () => {
    const masked = searchKeyOf(person('홍길동', 'g@example.com', 9, '010-****-5678'));
    expect(matches(hong, '홍 길동')).toBe(true);
    expect(matches(kim, 'kim민수')).toBe(true);
    expect(matches(hong, '010-1234')).toBe(true);
    expect(matches(masked, '5678')).toBe(true);
    expect(matches(masked, '010-1234')).toBe(false);
  });

  it('reads ticket codes from raw codes and ticket URLs', () => {
    expect(ticketCodeFromScan(' ABC123 ')).toBe('ABC123');
    expect(ticketCodeFromScan('https://x.test/t/ABC123')).toBe('ABC123');
    expect(ticketCodeFromScan('https://x.test/manage?ticket=Z9')).toBe('Z9');
  });
});
