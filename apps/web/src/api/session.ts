import type { AuthResult } from '@eventmanager/domain/accounts/schema';

/**
 * The signed-in session: tokens live in localStorage so a reload (or an offline check-in phone)
 * keeps the organizer signed in. Listeners hear about sign-in, refresh and sign-out.
 */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

const KEY = 'em.session';
type Listener = (tokens: SessionTokens | null) => void;
const listeners = new Set<Listener>();
let current: SessionTokens | null = load();

function load(): SessionTokens | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<SessionTokens>;
    if (typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string') {
      return {
        accessToken: parsed.accessToken,
        refreshToken: parsed.refreshToken,
        userId: parsed.userId ?? '',
      };
    }
  } catch {
    // Corrupt or unavailable storage means signed out.
  }
  return null;
}

export function getSession(): SessionTokens | null {
  return current;
}

/** The bearer token for REST and the WebSocket `auth` message, or null when signed out. */
export function getAccessToken(): string | null {
  return current?.accessToken ?? null;
}

export function setSessionFromAuth(
  result: Pick<AuthResult, 'access_token' | 'refresh_token' | 'user'>,
): void {
  setSession({
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    userId: result.user.id,
  });
}

export function setSession(tokens: SessionTokens | null): void {
  current = tokens;
  try {
    if (tokens) localStorage.setItem(KEY, JSON.stringify(tokens));
    else localStorage.removeItem(KEY);
  } catch {
    // Session stays in memory only.
  }
  for (const l of listeners) l(tokens);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
