import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { withLocalTossSimulator } from './dev-toss.ts';

describe('withLocalTossSimulator', () => {
  it('starts a local Toss only in development without keys, and marks the config as test mode', async () => {
    expect(await withLocalTossSimulator(loadConfig({ NODE_ENV: 'production' }))).toBeUndefined();
    expect(
      await withLocalTossSimulator(
        loadConfig({
          NODE_ENV: 'development',
          TOSS_SECRET_KEY: 'live_sk_12345678',
          TOSS_CLIENT_KEY: 'live_ck_12345678',
        }),
      ),
    ).toBeUndefined();
    const local = await withLocalTossSimulator(loadConfig({ NODE_ENV: 'development', PORT: '0' }));
    expect(local).toBeDefined();
    try {
      const { toss } = local!.config;
      expect(toss).toMatchObject({
        testMode: true,
        checkoutUrl: expect.stringMatching(/\/simulator\/checkout$/),
      });
      // It answers like Toss: the secret key it was given authenticates, an unknown payment is NOT_FOUND_PAYMENT.
      const res = await fetch(`${toss.apiUrl}/v1/payments/nope`, {
        headers: { authorization: `Basic ${Buffer.from(`${toss.secretKey}:`).toString('base64')}` },
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND_PAYMENT');
    } finally {
      await local!.close();
    }
  });
});
