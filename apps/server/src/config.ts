import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import {
  LIMIT_DEFAULTS,
  LIMIT_NAMES,
  type LimitName,
  type LimitSpec,
  limitEnvName,
  parseLimit,
} from './platform/rate-limit/limits.ts';
import type { S3Settings } from './platform/storage/s3-storage.ts';

/** An IPv4/IPv6 address, optionally with a `/prefix` (CIDR). */
function isAddressOrCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies' `X-Forwarded-For` entries to believe: none, the last N hops, or the listed
 * addresses/CIDRs. "Trust everything" is refused: any client could then name its own address and
 * step around every per-address limit.
 */
const trustProxySchema = z
  .string()
  .trim()
  .default('false')
  .transform((value, ctx): false | number | string[] => {
    if (value === '' || value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) return Number(value);
    const list = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (value !== 'true' && list.length > 0 && list.every(isAddressOrCidr)) return list;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a hop count (e.g. 1) or a comma-separated list of proxy addresses/CIDRs; "true" (trust any client\'s X-Forwarded-For) is not accepted',
    });
    return z.NEVER;
  });

/**
 * The whole configuration, read once from the environment at boot. Nothing else reads process.env,
 * so tests build a Config object directly and every variable is documented in one place (README).
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('eventManager <no-reply@eventmanager.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PII_KEYS: z.string().optional(),
  PII_ACTIVE_KEY_ID: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  TRUST_PROXY: trustProxySchema,
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  EMBEDDED_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  MAIL_RATE_PER_SECOND: z.coerce.number().positive().default(50),
  WEB_DIST_DIR: z.string().optional(),
  WS_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  WS_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  S3_PREFIX: z
    .string()
    .regex(/^([a-z0-9][a-z0-9._-]*\/)*$/, 'must be empty or end with a slash, like "eventmanager/"')
    .default(''),
  COVER_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(8 * 1024 * 1024),
  TOSS_API_URL: z.url().default('https://api.tosspayments.com'),
  PLAN_LIMITS: z.enum(['on', 'off']).default('on'),
  TOSS_SECRET_KEY: z.string().min(8).optional(),
  TOSS_CLIENT_KEY: z.string().min(8).optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  publicUrl: string;
  /** Whether PUBLIC_URL was given (otherwise links use localhost and `npm start` names the LAN address). */
  publicUrlFromEnv: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  /** HS256 key for access tokens; undefined means "generate into DATA_DIR" (embedded mode only). */
  jwtSecret: string | undefined;
  /** `id:base64key,id:base64key` AES-256 keys for personal data; undefined means generate (embedded only). */
  piiKeys: string | undefined;
  piiActiveKeyId: string | undefined;
  bodyLimit: number;
  /** false, the number of proxy hops in front, or the proxies' addresses/CIDRs. */
  trustProxy: false | number | string[];
  /** Named request limits; `enabled: false` (RATE_LIMITS=off) turns every one off. */
  rateLimits: { enabled: boolean; limits: Record<LimitName, LimitSpec> };
  embeddedWorker: boolean;
  mailRatePerSecond: number;
  webDistDir: string;
  /** WebSocket heartbeat interval; a socket silent for two intervals is closed. */
  wsHeartbeatIntervalMs: number;
  /** A WebSocket must authenticate within this time or it is closed with 4401. */
  wsAuthTimeoutMs: number;
  /** Uploaded files go to this S3-compatible bucket when set, else to DATA_DIR/uploads. */
  s3: S3Settings | undefined;
  /** Largest cover image upload accepted (bytes). */
  coverMaxBytes: number;
  /** False only for load tests and benchmarks (`PLAN_LIMITS=off`): no plan limit is enforced. */
  planLimits: boolean;
  /** Toss Payments: API base URL and keys; without both keys billing answers "not configured". */
  toss: {
    apiUrl: string;
    secretKey: string | undefined;
    clientKey: string | undefined;
    /** Set (never from the environment) when the keys belong to the built-in local test simulator. */
    testMode: boolean;
    /**
     * A hosted payment page / card-registration page to send the browser to (the local test
     * simulator's); null means the browser uses Toss's own payment window (SDK).
     */
    checkoutUrl: string | null;
    billingAuthUrl: string | null;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const limits = { ...LIMIT_DEFAULTS } as Record<LimitName, LimitSpec>;
  const limitErrors: string[] = [];
  for (const name of LIMIT_NAMES) {
    const raw = env[limitEnvName(name)];
    if (raw === undefined || raw === '') continue;
    const spec = parseLimit(raw);
    if (spec) limits[name] = spec;
    else limitErrors.push(`  ${limitEnvName(name)}: must be <max>/<window>, e.g. 10/1m, 300/30s, 3/1h`);
  }
  if (limitErrors.length > 0) throw new ConfigError(`Invalid configuration:\n${limitErrors.join('\n')}`);
  if (e.DATABASE_URL && !e.JWT_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  JWT_SECRET: required when DATABASE_URL is set (every instance must share it)',
    );
  }
  if (e.DATABASE_URL && !e.PII_KEYS) {
    throw new ConfigError(
      'Invalid configuration:\n  PII_KEYS: required when DATABASE_URL is set (format "k1:<base64 32 bytes>")',
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    publicUrlFromEnv: e.PUBLIC_URL !== undefined,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    jwtSecret: e.JWT_SECRET,
    piiKeys: e.PII_KEYS,
    piiActiveKeyId: e.PII_ACTIVE_KEY_ID,
    bodyLimit: e.BODY_LIMIT_BYTES,
    trustProxy: e.TRUST_PROXY,
    rateLimits: { enabled: e.RATE_LIMITS === 'on', limits },
    embeddedWorker: e.EMBEDDED_WORKER,
    mailRatePerSecond: e.MAIL_RATE_PER_SECOND,
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? new URL('../../web/dist', import.meta.url).pathname),
    wsHeartbeatIntervalMs: e.WS_HEARTBEAT_INTERVAL_MS,
    wsAuthTimeoutMs: e.WS_AUTH_TIMEOUT_MS,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          // S3-compatible servers mostly need path-style addressing; AWS itself does not.
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
          prefix: e.S3_PREFIX,
        }
      : undefined,
    coverMaxBytes: e.COVER_MAX_BYTES,
    planLimits: e.PLAN_LIMITS === 'on',
    toss: {
      apiUrl: e.TOSS_API_URL.replace(/\/$/, ''),
      secretKey: e.TOSS_SECRET_KEY,
      clientKey: e.TOSS_CLIENT_KEY,
      testMode: false,
      checkoutUrl: null,
      billingAuthUrl: null,
    },
  };
}
