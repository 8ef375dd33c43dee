/**
 * A winner's name as shown to a room or to the public: enough to recognise oneself, not enough to
 * identify a stranger. The organizer keeps the full name.
 *
 * - Korean names (Hangul, spaces ignored for counting): the first and last syllables stay, every
 *   syllable between is masked — 박민호 → 박*호, 남궁민수 → 남**수, a two-syllable name keeps its
 *   first syllable — 김민 → 김*. Spaces stay where they were (홍 길동 → 홍 *동).
 * - Other names: each word keeps its first letter, the rest is masked — Alice Kim → A**** K**.
 *   Separators (spaces, hyphens, apostrophes, dots) and digits stay, so "Jean-Luc" → "J***-L**"
 *   and "Guest 7" → "G**** 7".
 * - A name of one character becomes "*".
 *
 * Characters are counted as user-perceived characters (grapheme clusters), so a decomposed or
 * emoji-bearing name is never cut inside a character.
 */
const HANGUL = /\p{Script=Hangul}/u;
const LETTER = /\p{L}/u;
const MASK = '*';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);

function maskKorean(chars: string[]): string {
  const positions = chars.flatMap((c, i) => (/\s/u.test(c) ? [] : [i]));
  const n = positions.length;
  const keep = new Set<number>(n >= 3 ? [positions[0]!, positions[n - 1]!] : [positions[0]!]);
  return chars.map((c, i) => (/\s/u.test(c) || keep.has(i) ? c : MASK)).join('');
}

function maskWords(chars: string[]): string {
  let atWordStart = true;
  return chars
    .map((c) => {
      if (!LETTER.test(c)) {
        atWordStart = true;
        return c;
      }
      const out = atWordStart ? c : MASK;
      atWordStart = false;
      return out;
    })
    .join('');
}

export function maskName(name: string): string {
  const chars = graphemes(name.trim());
  if (chars.length === 0) return '';
  if (chars.filter((c) => !/\s/u.test(c)).length <= 1) return MASK;
  const letters = chars.filter((c) => LETTER.test(c));
  if (letters.length > 0 && letters.every((c) => HANGUL.test(c))) return maskKorean(chars);
  return maskWords(chars);
}
