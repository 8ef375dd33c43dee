import type { Problem } from '@eventmanager/domain/common/schema';

/**
 * An error answer from the API (RFC 9457 problem+json). `fieldErrors` maps each validation path
 * ("identity.email", "custom_responses.f1") to its message so forms can show it under the field.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly fieldErrors: Record<string, string>;
  /** The server's machine-readable reason ("event_full", "registration_closed" …), when it sends one. */
  readonly code: string | undefined;

  constructor(problem: Problem & { code?: unknown }) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.code = typeof problem.code === 'string' ? problem.code : undefined;
    this.fieldErrors = toFieldErrors(problem.errors ?? []);
  }
}

/** The request never reached the server (offline, DNS, aborted). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

/** Server paths come as "body.identity.email", "/identity/email" or "identity[0]"; forms use dotted paths. */
export function normalizeErrorPath(path: string): string {
  return path
    .replace(/^\/+/, '')
    .replace(/\//g, '.')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^(body|querystring|params)\.?/, '');
}

export function toFieldErrors(errors: { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const key = normalizeErrorPath(e.path);
    out[key] ??= e.message;
  }
  return out;
}

export async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = { title: res.statusText || 'Error', status: res.status };
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object' && 'title' in body) {
      return { ...fallback, ...(body as Partial<Problem>) } as Problem;
    }
  } catch {
    // Not JSON (e.g. a proxy error page): keep the status line.
  }
  return fallback;
}
