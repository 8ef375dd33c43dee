import type { RegistrationResult } from '@eventmanager/domain/participants/participant.schema';

/** The success page survives a reload: the answer is kept for this tab only (sessionStorage). */
const key = (code: string) => `em.registration.${code}`;

export function saveRegistrationResult(code: string, result: RegistrationResult): void {
  try {
    sessionStorage.setItem(key(code), JSON.stringify(result));
  } catch {
    // Without storage the page still shows the result once (from memory below).
  }
  last = { code, result };
}

let last: { code: string; result: RegistrationResult } | null = null;

export function loadRegistrationResult(code: string): RegistrationResult | null {
  if (last?.code === code) return last.result;
  try {
    const raw = sessionStorage.getItem(key(code));
    return raw ? (JSON.parse(raw) as RegistrationResult) : null;
  } catch {
    return null;
  }
}

/** A manage URL may name another host (PUBLIC_URL); inside the app we navigate by path. */
export function managePathOf(manageUrl: string): string {
  try {
    return new URL(manageUrl, window.location.origin).pathname;
  } catch {
    return manageUrl;
  }
}
