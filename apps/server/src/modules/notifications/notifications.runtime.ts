import type { Config } from '../../config.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { createMailTransport, type MailTransport } from './mail-transport.ts';
import { createMailScheduler, type MailScheduler } from './notifications.scheduler.ts';
import { createMailWorker, type MailWorker, type WorkerLog } from './notifications.worker.ts';

export interface MailRuntime {
  scheduler: MailScheduler;
  transport: MailTransport;
  worker: MailWorker;
  close(): Promise<void>;
}

/**
 * The worker as the server process embeds it (EMBEDDED_WORKER) and as `npm run worker` runs it: the
 * configured transport, the rate limit, and the reminder scheduler ticking in its loop.
 */
export function createMailRuntime(
  config: Config,
  platform: Platform,
  accounts: AccountsService,
  log: WorkerLog,
  overrides: { transport?: MailTransport; scheduler?: MailScheduler } = {},
): MailRuntime {
  const scheduler =
    overrides.scheduler ??
    createMailScheduler({ db: platform.database.db, accounts, publicUrl: config.publicUrl });
  const transport = overrides.transport ?? createMailTransport(config, log);
  const worker = createMailWorker({
    db: platform.database.db,
    clock: platform.clock,
    transport,
    mailFrom: config.mailFrom,
    publicUrl: config.publicUrl,
    ratePerSecond: config.mailRatePerSecond,
    tick: scheduler.tick,
    log,
  });
  return {
    scheduler,
    transport,
    worker,
    async close() {
      await worker.stop();
      await transport.close();
    },
  };
}
