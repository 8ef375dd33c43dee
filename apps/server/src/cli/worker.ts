import pino from 'pino';
import { buildApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createAccountsService } from '../modules/accounts/accounts.service.ts';
import { billingServiceOf } from '../modules/billing/billing.routes.ts';
import { startRenewalLoop } from '../modules/billing/renewal-loop.ts';
import { createMailRuntime } from '../modules/notifications/notifications.runtime.ts';
import { openPlatform } from '../platform/platform.ts';

/**
 * `npm run worker`: the e-mail worker (and reminder scheduler) as its own process, for setups that
 * run the API with EMBEDDED_WORKER=false. Any number may run against one PostgreSQL. `--once`
 * sends everything due and exits.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel, name: 'mail-worker' });
  const platform = await openPlatform(config);
  // The application is built (never listening) so every module sets up what its exported functions
  // need — e.g. the participants module's decryption keys, which reminders read through.
  const app = await buildApp({ ...config, embeddedWorker: false, logLevel: 'silent' }, platform);
  await app.ready();
  const runtime = createMailRuntime(
    config,
    platform,
    createAccountsService(platform, { publicUrl: config.publicUrl }),
    log,
  );
  log.info({ transport: runtime.transport.kind, workerId: runtime.worker.workerId }, 'e-mail worker started');

  // Plan renewals run here too: an API started with EMBEDDED_WORKER=false runs none itself.
  const billing = billingServiceOf(config, platform);
  if (process.argv.includes('--once')) {
    log.info(await billing.runRenewals(), 'renewals run');
    const result = await runtime.worker.drain();
    log.info(result, 'queue drained');
    await runtime.close();
    await app.close();
    await platform.close();
    return;
  }

  runtime.worker.start();
  const stopRenewals = startRenewalLoop(billing, log);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'stopping e-mail worker');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    stopRenewals();
    await runtime.close();
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
