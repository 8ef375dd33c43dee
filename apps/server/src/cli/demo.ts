import { buildApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openPlatform } from '../platform/platform.ts';
import { seedDemo } from './demo-data.ts';

try {
  const config = { ...loadConfig(), logLevel: 'warn' };
  const platform = await openPlatform(config);
  const app = await buildApp(config, platform);
  const demo = await seedDemo(app, platform);
  console.log(
    `Demo data ${demo.created ? 'created' : 'already present'}: event ${demo.shareUrl}\nLog in at ${config.publicUrl} as ${demo.email} / ${demo.password}`,
  );
  await app.close();
  await platform.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
