import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';

/**
 * Development without Toss keys: a local Toss test simulator, started in this process on a free
 * port, so a new user can walk the whole payment flow. The app reaches it only over HTTP, exactly
 * like Toss (its keys and URL go into the config); the config is marked as test mode so every
 * billing page says no real money moves. Production never gets here: without keys it answers that
 * payments are not configured.
 */
export async function withLocalTossSimulator(
  config: Config,
): Promise<{ config: Config; close(): Promise<void> } | undefined> {
  if (config.env !== 'development' || (config.toss.secretKey && config.toss.clientKey)) return undefined;
  const { startTossSimulator } = await import('@eventmanager/toss-simulator');
  const secretKey = `test_sk_local_${randomBytes(12).toString('hex')}`;
  const clientKey = `test_ck_local_${randomBytes(12).toString('hex')}`;
  const sim = await startTossSimulator({
    secretKeys: [secretKey],
    clientKeys: [clientKey],
    webhookUrl: `http://127.0.0.1:${config.port}/api/payments/webhook`,
  });
  return {
    config: {
      ...config,
      toss: {
        apiUrl: sim.url,
        secretKey,
        clientKey,
        testMode: true,
        checkoutUrl: sim.checkoutUrl,
        billingAuthUrl: sim.billingAuthUrl,
      },
    },
    close: () => sim.close(),
  };
}
