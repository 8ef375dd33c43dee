import type { AuthResult } from '@eventmanager/domain/accounts/schema';
import { ApiError, NetworkError, readProblem } from './problem.ts';
import { getSession, setSession, setSessionFromAuth } from './session.ts';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** JSON-serialised unless it is FormData, Blob or a string. */
  body?: unknown;
  /** Send the bearer token (default true). Public pages pass false. */
  auth?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: concurrent 401s wait for the same refresh instead of racing (the old token is revoked). */
function refreshOnce(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session) return false;
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) setSession(null);
        return false;
      }
      setSessionFromAuth((await res.json()) as AuthResult);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * A fresh access token for a long-lived connection (the realtime socket renews its token before it
 * expires): the session is refreshed, then its new token returned; null when signed out.
 */
export async function renewAccessToken(): Promise<string | null> {
  if (!(await refreshOnce())) return null;
  return getSession()?.accessToken ?? null;
}

function buildInit(options: RequestOptions): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || options.body instanceof Blob || typeof options.body === 'string') {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.auth !== false) {
    const token = getSession()?.accessToken;
    if (token) headers.authorization = `Bearer ${token}`;
  }
  return { method: options.method ?? 'GET', headers, body, signal: options.signal };
}

/**
 * Sends a request and returns the raw Response when it succeeded. Refreshes the access token once
 * on 401 and retries; throws ApiError (problem+json) or NetworkError otherwise.
 */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const send = async () => {
    try {
      return await fetch(path, buildInit(options));
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new NetworkError(err);
    }
  };
  let res = await send();
  if (res.status === 401 && options.auth !== false && getSession()) {
    if (await refreshOnce()) res = await send();
    else setSession(null);
  }
  if (!res.ok) throw new ApiError(await readProblem(res));
  return res;
}

/** JSON request → typed JSON answer (204 gives undefined). Types come from the domain zod schemas. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(path, options);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as T;
  return (await res.json()) as T;
}

/** Downloads an authenticated file (CSV/XLSX export) and saves it under the server's file name. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await apiFetch(path, { headers: { accept: '*/*' } });
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
