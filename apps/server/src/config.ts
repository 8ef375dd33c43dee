import path from 'node:path';
import { z } from 'zod';

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
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  EMBEDDED_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  MAIL_RATE_PER_SECOND: z.coerce.number().positive().default(50),
  WEB_DIST_DIR: z.string().optional(),
  WS_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  WS_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
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
  trustProxy: boolean;
  embeddedWorker: boolean;
  mailRatePerSecond: number;
  webDistDir: string;
  /** WebSocket heartbeat interval; a socket silent for two intervals is closed. */
  wsHeartbeatIntervalMs: number;
  /** A WebSocket must authenticate within this time or it is closed with 4401. */
  wsAuthTimeoutMs: number;
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
    embeddedWorker: e.EMBEDDED_WORKER,
    mailRatePerSecond: e.MAIL_RATE_PER_SECOND,
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? new URL('../../web/dist', import.meta.url).pathname),
    wsHeartbeatIntervalMs: e.WS_HEARTBEAT_INTERVAL_MS,
    wsAuthTimeoutMs: e.WS_AUTH_TIMEOUT_MS,
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
