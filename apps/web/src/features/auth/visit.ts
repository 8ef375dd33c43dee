/**
 * Whether this browser has signed someone in before, so the login and sign-up pages greet a
 * newcomer as a newcomer and a returning organizer as returning. The mark is set after a
 * successful log-in or sign-up and survives logging out; nothing personal is stored.
 */
const KEY = 'em.signedInBefore';

export function markSignedIn(): void {
  try {
    localStorage.setItem(KEY, '1');
  } catch {
    // Storage can be unavailable (private mode): the greeting then stays the newcomer's.
  }
}

export function hasSignedInBefore(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
