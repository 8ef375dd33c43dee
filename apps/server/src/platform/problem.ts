/**
 * Errors a service throws to answer with an RFC 9457 problem. The app's error handler turns these
 * (and Fastify's own errors) into application/problem+json; anything else becomes a bare 500.
 */
export interface FieldError {
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  /** A stable machine-readable reason, e.g. "event_full", sent as `code`. */
  readonly code: string | undefined;
  readonly headers: Record<string, string> | undefined;
  /** Extra members of the problem body (RFC 9457 extensions), e.g. the limit a plan refused. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    status: number,
    detail?: string,
    options: {
      errors?: FieldError[];
      code?: string;
      title?: string;
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail ?? titleFor(status));
    this.status = status;
    this.title = options.title ?? titleFor(status);
    this.detail = detail;
    this.errors = options.errors;
    this.code = options.code;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, detail, errors ? { errors } : {});
export const unauthorized = (detail = 'Missing or invalid access token') => new HttpProblem(401, detail);
export const forbidden = (detail: string, code?: string) =>
  new HttpProblem(403, detail, code ? { code } : {});
export const notFound = (what = 'Resource') => new HttpProblem(404, `${what} not found`);
export const conflict = (detail: string, code?: string) => new HttpProblem(409, detail, code ? { code } : {});
export const unprocessable = (detail: string, code?: string) =>
  new HttpProblem(422, detail, code ? { code } : {});
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new HttpProblem(429, detail, {
    code: 'rate_limited',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
