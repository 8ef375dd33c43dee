/**
 * Every named request limit, with its default. A route opts in with `config: { limits: [...] }`
 * (see rate-limit.plugin.ts); each limit counts per the key it names, inside a fixed window.
 * Every default can be changed with `RATE_LIMIT_<NAME>=<max>/<window>` (window `30s`, `1m`, `1h`),
 * and `RATE_LIMITS=off` turns them all off.
 */
export interface LimitSpec {
  max: number;
  windowMs: number;
}

const minute = 60_000;
const hour = 60 * minute;

export const LIMIT_DEFAULTS = {
  /**
   * Public registrations from one address. A venue's Wi-Fi puts many honest registrants behind one
   * address, so the bound is generous; it still stops one machine filling an event.
   */
  register_ip: { max: 30, windowMs: minute },
  /**
   * Public registrations into one event from all addresses together: a bot spread over many
   * addresses can neither fill the event in seconds nor make the platform e-mail thousands of
   * strangers (each registration sends a confirmation). A popular opening still fits.
   */
  register_event: { max: 300, windowMs: minute },
  /** Accounts created from one address. */
  signup_ip: { max: 10, windowMs: hour },
  /**
   * Login attempts, counted before the password is checked so concurrent guesses cannot slip past
   * the bound. Per e-mail: credential guessing against one account. Per address: spraying many
   * accounts; higher, because a whole staff team may share one address.
   */
  login_email: { max: 10, windowMs: minute },
  login_ip: { max: 30, windowMs: minute },
  /** Password-reset requests: each sends an e-mail to the address typed in. */
  password_reset_ip: { max: 10, windowMs: hour },
  password_reset_email: { max: 3, windowMs: hour },
  /** E-mail-sending actions of one signed-in user (resend, bulk send, retry). */
  email_send_user: { max: 30, windowMs: minute },
  /** Public event pages (JSON and calendar file) from one address. */
  public_page_ip: { max: 300, windowMs: minute },
  /** Ticket and manage-link lookups from one address: guessing codes and tokens. */
  lookup_ip: { max: 60, windowMs: minute },
  /**
   * Lookups of one ticket code or manage link from all addresses together: a leaked link or a
   * scripted poller cannot hammer one participant's record. A person opening their own page does a
   * handful of requests.
   */
  lookup_target: { max: 120, windowMs: minute },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMIT_DEFAULTS;

export const LIMIT_NAMES = Object.keys(LIMIT_DEFAULTS) as LimitName[];

/** The environment variable that overrides one limit, e.g. `RATE_LIMIT_LOGIN_EMAIL`. */
export const limitEnvName = (name: LimitName) => `RATE_LIMIT_${name.toUpperCase()}`;

const UNIT_MS = { s: 1000, m: minute, h: hour } as const;

/** Parses `<max>/<window>` (`10/1m`, `300/30s`, `3/1h`); undefined when malformed. */
export function parseLimit(text: string): LimitSpec | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*([smh])\s*$/.exec(text);
  if (!match) return undefined;
  const max = Number(match[1]);
  const windowMs = Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (!Number.isSafeInteger(max) || windowMs <= 0) return undefined;
  return { max, windowMs };
}
