import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInitialsQuery, koreanInitials } from './korean-initials.ts';

describe('koreanInitials', () => {
  it('extracts initial consonants of Hangul syllables', () => {
    expect(koreanInitials('홍길동')).toBe('ㅎㄱㄷ');
    expect(koreanInitials('김사라')).toBe('ㄱㅅㄹ');
    expect(koreanInitials('빵꾸똥')).toBe('ㅃㄲㄸ');
    expect(koreanInitials('가')).toBe('ㄱ');
    expect(koreanInitials('힣')).toBe('ㅎ');
  });

  it('keeps other characters, lower-cased', () => {
    expect(koreanInitials('Kim 민수')).toBe('kim ㅁㅅ');
    expect(koreanInitials('')).toBe('');
  });

  it('decomposed input (NFD) gives the same initials as composed', () => {
    expect(koreanInitials('홍길동'.normalize('NFD'))).toBe('ㅎㄱㄷ');
  });

  it('maps every syllable to exactly one compatibility consonant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0xac00, max: 0xd7a3 }), (code) => {
        const out = koreanInitials(String.fromCodePoint(code));
        expect([...out]).toHaveLength(1);
        expect(isInitialsQuery(out)).toBe(true);
      }),
    );
  });

  it('recognises initials-only queries', () => {
    expect(isInitialsQuery('ㅎㄱㄷ')).toBe(true);
    expect(isInitialsQuery('홍길동')).toBe(false);
    expect(isInitialsQuery('ㅎa')).toBe(false);
    expect(isInitialsQuery(' ')).toBe(false);
  });
});
