import { startTossSimulator } from './index.ts';

/**
 * Development entry: `node apps/toss-simulator/src/main.ts`. Reads PORT (0 = any free port),
 * TOSS_SECRET_KEY and TOSS_CLIENT_KEY (comma-separated lists allowed), TOSS_WEBHOOK_URL (optional,
 * comma-separated) and HOST (default 127.0.0.1).
 */
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const port = Number(process.env.PORT ?? '0');
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number (0 = any free port), got "${process.env.PORT}"`);
  process.exit(1);
}
const secretKeys = list(process.env.TOSS_SECRET_KEY);
const clientKeys = list(process.env.TOSS_CLIENT_KEY);
if (secretKeys.length === 0 || clientKeys.length === 0) {
  console.error(
    'TOSS_SECRET_KEY and TOSS_CLIENT_KEY are required (Toss test keys look like test_sk_… / test_ck_…)',
  );
  process.exit(1);
}

const sim = await startTossSimulator({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  secretKeys,
  clientKeys,
  webhookUrl: list(process.env.TOSS_WEBHOOK_URL),
});
console.log(`Toss simulator (TEST PAYMENTS ONLY) listening on ${sim.url}`);
console.log(`  TOSS_API_URL=${sim.url}`);
console.log(`  checkout page: ${sim.checkoutUrl}`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void sim.close().then(() => process.exit(0));
  });
}
