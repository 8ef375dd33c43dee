import { isInitialsQuery, koreanInitials } from '@eventmanager/domain/participants/korean-initials';
import type { ParticipantRecord } from './types.ts';

/**
 * Door-screen search over the offline cache: name, e-mail, registration number ("42", "#042"), phone
 * digits, and Korean initial consonants ("ㅎㄱㄷ" finds 홍길동). Keys are precomputed once per
 * participant so a keystroke over 5,000 people is a plain scan of short strings.
 */
export type SearchKey = { id: string; text: string; initials: string; number: string; phoneDigits: string };

export function searchKeyOf(p: ParticipantRecord): SearchKey {
  return {
    id: p.id,
    text: `${p.name} ${p.email}`.toLowerCase(),
    initials: koreanInitials(p.name).replace(/\s+/g, ''),
    number: String(p.registrationNumber),
    phoneDigits: (p.phone ?? '').replace(/\D/g, ''),
  };
}

export function matches(key: SearchKey, rawQuery: string): boolean {
  const query = rawQuery.trim().toLowerCase();
  if (query.length === 0) return true;
  if (isInitialsQuery(query)) return key.initials.includes(query.replace(/\s+/g, ''));
  const numeric = /^#?0*(\d+)$/.exec(query);
  if (numeric?.[1]) {
    if (key.number === numeric[1]) return true;
    if (query.replace(/\D/g, '').length >= 4 && key.phoneDigits.includes(query.replace(/\D/g, '')))
      return true;
    return false;
  }
  return key.text.includes(query);
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
