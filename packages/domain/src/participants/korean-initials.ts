/**
 * Korean initial-consonant (초성) search: "홍길동" → "ㅎㄱㄷ". Staff at the door type the initials
 * of a name on a phone keyboard, so the server stores them next to the name and matches them.
 */
const INITIALS = [
  'ㄱ',
  'ㄲ',
  'ㄴ',
  'ㄷ',
  'ㄸ',
  'ㄹ',
  'ㅁ',
  'ㅂ',
  'ㅃ',
  'ㅅ',
  'ㅆ',
  'ㅇ',
  'ㅈ',
  'ㅉ',
  'ㅊ',
  'ㅋ',
  'ㅌ',
  'ㅍ',
  'ㅎ',
] as const;

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
/** 21 medial vowels × 28 finals share one initial consonant. */
const SYLLABLES_PER_INITIAL = 21 * 28;

/**
 * Replaces every precomposed Hangul syllable by its initial consonant (compatibility jamo) and keeps
 * every other character as it is (lower-cased), so mixed names like "Kim 민수" become "kim ㅁㅅ".
 */
export function koreanInitials(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST) {
      out += INITIALS[Math.floor((code - SYLLABLE_FIRST) / SYLLABLES_PER_INITIAL)];
    } else {
      out += ch.toLowerCase();
    }
  }
  return out;
}

const INITIALS_ONLY = /^[\u3131-\u314e\s]+$/u;

/** True when a search query is made only of initial consonants ("ㅎㄱㄷ"), i.e. a 초성 search. */
export function isInitialsQuery(query: string): boolean {
  return INITIALS_ONLY.test(query) && query.trim().length > 0;
}
