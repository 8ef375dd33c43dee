import {
  matchesQuery,
  parseQuery,
  type SearchFields,
  searchFieldsOf,
} from '@eventmanager/domain/participants/search';
import type { ParticipantRecord } from './types.ts';

/**
 * Door-screen search over the offline cache, with the same meaning as the participants page and the
 * server's `q`: name or e-mail (spaces ignored: "홍 길동" finds 홍길동), registration number ("42",
 * "#042"), phone digits ("5678"; the cache holds masked phones, so only their visible digits), and
 * Korean initial consonants ("ㅎㄱㄷ" finds 홍길동). Keys are precomputed once per participant so a
 * keystroke over 5,000 people is a plain scan of short strings.
 */
export type SearchKey = SearchFields & { id: string };

export function searchKeyOf(p: ParticipantRecord): SearchKey {
  return {
    id: p.id,
    ...searchFieldsOf({
      name: p.name,
      email: p.email,
      registrationNumber: p.registrationNumber,
      phone: p.phone,
    }),
  };
}

export function matches(key: SearchKey, rawQuery: string): boolean {
  return matchesQuery(key, parseQuery(rawQuery));
}

/**
 * What a scanned QR names: the ticket code itself, a URL carrying it (`…/t/<code>`, `?ticket=<code>`,
 * `?code=<code>`), or a participant id.
 */
export function ticketCodeFromScan(raw: string): string {
  const text = raw.trim();
  try {
    const url = new URL(text);
    const param = url.searchParams.get('ticket') ?? url.searchParams.get('code');
    if (param) return param;
    const last = url.pathname.split('/').filter(Boolean).at(-1);
    if (last) return decodeURIComponent(last);
  } catch {
    // Not a URL: the code itself.
  }
  return text;
}
