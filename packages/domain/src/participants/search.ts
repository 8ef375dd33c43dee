import { isInitialsQuery, koreanInitials } from './korean-initials.ts';

/**
 * One meaning of a participant search query, shared by the server's `q`, the participants page and
 * the check-in screen, so the desk finds the same people everywhere:
 * - initial consonants ("ㅎㄱㄷ", spaces ignored) match the name's 초성;
 * - a number ("12", "#012") matches the registration number;
 * - four or more digits, with or without separators ("5678", "010-2345", "010 2345 5678") match
 *   anywhere in the phone number's digits (a 4-digit query may also be a registration number);
 * - anything else matches the name or the e-mail address, spaces ignored ("홍 길동" finds 홍길동).
 */
export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'initials'; initials: string }
  | { kind: 'digits'; number: number | null; phoneDigits: string | null }
  | { kind: 'text'; text: string };

/** Fewer digits than this are too common a fragment to search phones by. */
export const MIN_PHONE_DIGITS = 4;

const DIGITS_WITH_SEPARATORS = /^[\d\s\-.()+]+$/;

/** Lower-cased, every whitespace removed: "홍 길동" and "홍길동" compare equal. */
export function compactText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, '');
}

export function parseQuery(raw: string): ParsedQuery {
  const query = raw.trim();
  if (!query) return { kind: 'empty' };
  if (isInitialsQuery(query)) return { kind: 'initials', initials: query.replace(/\s+/g, '') };
  const number = /^#0*(\d{1,9})$/.exec(query) ?? /^0*(\d{1,9})$/.exec(query);
  if (number || DIGITS_WITH_SEPARATORS.test(query)) {
    // "+82 10 …" is the same number as "010 …" (stored numbers are national).
    const all = query.replace(/\D/g, '');
    const digits = query.startsWith('+82') ? `0${all.slice(2)}` : all;
    const phoneDigits = !query.startsWith('#') && digits.length >= MIN_PHONE_DIGITS ? digits : null;
    const registration = number?.[1] ? Number(number[1]) : null;
    if (registration !== null || phoneDigits !== null) {
      return { kind: 'digits', number: registration, phoneDigits };
    }
  }
  return { kind: 'text', text: compactText(query) };
}

/** What a participant is matched on, computed once per participant (a keystroke scans thousands). */
export interface SearchFields {
  /** Name and e-mail, compacted (compactText). */
  text: string;
  initials: string;
  number: number;
  /**
   * The phone's digits as far as the searcher may see them: a masked phone keeps its `*`s in place,
   * so "010-****-5678" matches "5678" but never "0105678".
   */
  phoneDigits: string;
}

export function searchFieldsOf(p: {
  name: string;
  email: string;
  registrationNumber: number;
  phone: string | null;
}): SearchFields {
  return {
    text: `${compactText(p.name)} ${compactText(p.email)}`,
    initials: koreanInitials(p.name).replace(/\s+/g, ''),
    number: p.registrationNumber,
    phoneDigits: (p.phone ?? '').replace(/[^\d*]/g, ''),
  };
}

export function matchesQuery(fields: SearchFields, query: ParsedQuery): boolean {
  switch (query.kind) {
    case 'empty':
      return true;
    case 'initials':
      return fields.initials.includes(query.initials);
    case 'digits':
      return (
        (query.number !== null && fields.number === query.number) ||
        (query.phoneDigits !== null && fields.phoneDigits.includes(query.phoneDigits))
      );
    case 'text':
      return fields.text.includes(query.text);
  }
}
