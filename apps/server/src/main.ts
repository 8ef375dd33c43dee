import { networkInterfaces } from 'node:os';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { withLocalTossSimulator } from './modules/billing/dev-toss.ts';
import { publicUrlHint } from './platform/lan-address.ts';
import { openPlatform } from './platform/platform.ts';

/**
 * Process entry: read config, open the platform (runs migrations), listen, and shut down gracefully
 * on SIGTERM/SIGINT — stop accepting, let in-flight requests finish, then close DB and Redis.
 */
async function main(): Promise<void> {
  // Files the server creates later (the embedded database's new segments) are private to its user.
  process.umask(0o077);
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
  const localToss = await withLocalTossSimulator(config);
  if (localToss) config = localToss.config;
  const platform = await openPlatform(config);
  const app = await buildApp(config, platform);
  if (localToss) {
    app.addHook('onClose', () => localToss.close());
    console.log(
      `Payments: TEST MODE — a local Toss simulator at ${config.toss.apiUrl} (no real money moves)`,
    );
  }

  if (process.argv.includes('--demo')) {
    const { seedDemo } = await import('./cli/demo-data.ts');
    const demo = await seedDemo(app, platform);
    app.log.info(demo, 'demo data ready');
    console.log(`Demo organizer: ${demo.email} / ${demo.password}`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await platform.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL in ${config.dataDir}`;
  console.log(`eventManager is running at ${config.publicUrl} (data: ${where})`);
  for (const line of publicUrlHint(config, networkInterfaces())) console.log(line);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
