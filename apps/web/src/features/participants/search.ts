import { isInitialsQuery, koreanInitials } from '@eventmanager/domain/participants/korean-initials';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';

export interface ListFilters {
  q: string;
  status: string;
  checkin: string;
}

/**
 * Local search over the loaded list, so typing is instant even at 10,000 rows: name, e-mail,
 * registration number ("12" or "#012") and Korean initial consonants ("ㅎㄱㄷ" finds 홍길동).
 */
export function filterParticipants(items: readonly Participant[], f: ListFilters): Participant[] {
  const q = f.q.trim().toLowerCase();
  const initials = isInitialsQuery(q) ? q.replace(/\s+/g, '') : null;
  const digits = /^#?\d+$/.test(q) ? Number(q.replace('#', '')) : null;
  return items.filter((p) => {
    if (f.status && p.registration.status !== f.status) return false;
    if (f.checkin && p.checkin.status !== f.checkin) return false;
    if (!q) return true;
    if (digits !== null && p.registration.number === digits) return true;
    if (initials) return koreanInitials(p.identity.name).replace(/\s+/g, '').includes(initials);
    return p.identity.name.toLowerCase().includes(q) || p.identity.email.toLowerCase().includes(q);
  });
}
