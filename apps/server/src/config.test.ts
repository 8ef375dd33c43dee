import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults for the embedded mode', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.dataDir).toMatch(/data$/);
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });

  it('requires shared secrets when several instances share a database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /PII_KEYS/,
    );
    const c = loadConfig({
      DATABASE_URL: 'postgres://localhost/x',
      JWT_SECRET: 'x'.repeat(40),
      PII_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    expect(c.databaseUrl).toBe('postgres://localhost/x');
  });

  it('takes TRUST_PROXY as a hop count or proxy addresses, never "true"', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.local' })).toThrow(/TRUST_PROXY/);
  });

  it('reads each rate limit from its own variable and RATE_LIMITS=off turns them off', () => {
    const c = loadConfig({ RATE_LIMIT_LOGIN_EMAIL: '5/30s', RATE_LIMIT_SIGNUP_IP: '100/1h' });
    expect(c.rateLimits.enabled).toBe(true);
    expect(c.rateLimits.limits.login_email).toEqual({ max: 5, windowMs: 30_000 });
    expect(c.rateLimits.limits.signup_ip).toEqual({ max: 100, windowMs: 3_600_000 });
    expect(c.rateLimits.limits.login_ip).toEqual({ max: 30, windowMs: 60_000 });
    expect(loadConfig({ RATE_LIMITS: 'off' }).rateLimits.enabled).toBe(false);
    expect(() => loadConfig({ RATE_LIMIT_LOGIN_IP: 'ten' })).toThrow(/RATE_LIMIT_LOGIN_IP/);
    expect(() => loadConfig({ RATE_LIMITS: 'maybe' })).toThrow(/RATE_LIMITS/);
  });
});
