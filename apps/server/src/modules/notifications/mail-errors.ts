/**
 * The retry rule: transient failures (4xx SMTP replies, connection/timeouts) are retried up to
 * MAX_RETRIES times, RETRY_DELAY_MS apart; permanent ones (5xx replies, addresses that cannot be
 * delivered, templates that cannot render) fail at once with the reason kept for the organizer.
 */
export const MAX_RETRIES = 3;
export const RETRY_DELAY_MS = 5 * 60 * 1000;

export interface SendFailure {
  transient: boolean;
  message: string;
}

interface SmtpLikeError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

export class PermanentMailError extends Error {}

export function classifySendError(err: unknown): SendFailure {
  if (err instanceof PermanentMailError) return { transient: false, message: err.message };
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpLikeError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const response = typeof e.response === 'string' ? e.response : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const text = (response ?? message).slice(0, 1000);
  if (responseCode !== undefined) {
    return { transient: responseCode < 500, message: `${responseCode} ${text}`.trim() };
  }
  // No SMTP reply: the connection failed, timed out or dropped. Worth trying again later.
  return { transient: true, message: code ? `${code}: ${message}` : message };
}
