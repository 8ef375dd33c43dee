import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/modules/notifications/mail-transport.ts';
import { enqueueDeletionConfirmation } from '../../src/modules/notifications/notifications.api.ts';
import { insertJobs, type NewMailJob } from '../../src/modules/notifications/notifications.repository.ts';
import { createMailWorker } from '../../src/modules/notifications/notifications.worker.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { type Database, openDatabase, queryRows, sql } from '../../src/platform/db/database.ts';
import { createTestContext, createTestDatabase, testEngine } from '../helpers/test-app.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../../..');

function deletionJob(i: number, tag: string): NewMailJob {
  return {
    type: 'deletion_confirmation',
    recipient: `load-${tag}-${i}@example.com`,
    templateId: 'tmpl_deletion_confirmation_ko',
    data: {
      language: 'ko',
      recipient_name: `참가자 ${i}`,
      branding: null,
      event_name: '부하 테스트',
      mode: 'deleted',
    },
    scheduledAt: new Date(Date.now() - 1000),
  };
}

describe('the embedded default transport', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { EMBEDDED_WORKER: 'true' } });
  });

  it('writes each e-mail as an .eml file in DATA_DIR/outbox, with the worker started and stopped by the app', async () => {
    try {
      await enqueueDeletionConfirmation(ctx.platform.database.db, {
        recipient: 'former.participant@example.com',
        name: '홍길동',
        language: 'ko',
        mode: 'anonymised',
        eventId: null,
        eventName: '가을 북클럽',
        participantId: null,
        now: new Date(),
      });
      const outbox = path.join(ctx.config.dataDir, 'outbox');
      let files: string[] = [];
      for (let i = 0; i < 200 && files.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        files = (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
      }
      expect(files).toHaveLength(1);
      const mail = await simpleParser(await readFile(path.join(outbox, files[0]!)));
      expect(mail.subject).toBe('개인정보가 익명 처리되었습니다');
      expect(mail.text).toContain('「가을 북클럽」');
      expect(mail.html).toContain('<!doctype html>');
    } finally {
      await ctx.close(); // onClose stops the worker; a still-running loop would keep the test open
    }
  });
});

describe.skipIf(testEngine() !== 'postgres')('several workers on one PostgreSQL', () => {
  // PGlite is one embedded connection in one process: there is no second worker to race against,
  // so exactly-once under concurrency can only be shown on a real server (server-postgres project).
  let sink: SmtpSink;
  let owned: Awaited<ReturnType<typeof createTestDatabase>>;
  const extra: Database[] = [];

  beforeAll(async () => {
    owned = await createTestDatabase();
    sink = await startSmtpSink({ parse: false });
  });
  afterAll(async () => {
    for (const d of extra) await d.close();
    await sink?.close();
    await owned?.drop();
  });

  it('three workers, 1,000 jobs: each message delivered exactly once', { timeout: 120_000 }, async () => {
    const tag = randomBytes(3).toString('hex');
    for (let i = 0; i < 1000; i += 250) {
      await insertJobs(
        owned.database.db,
        Array.from({ length: 250 }, (_, k) => deletionJob(i + k, tag)),
      );
    }
    // Each worker has its own connection pool, as separate processes would.
    const workers = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const database = await openDatabase({ engine: 'postgres', url: owned.url!, poolSize: 3 });
        extra.push(database);
        const transport = createSmtpTransport(sink.url, { maxConnections: 3 });
        const worker = createMailWorker({
          db: database.db,
          clock: systemClock,
          transport,
          mailFrom: 'eventManager <no-reply@eventmanager.test>',
          publicUrl: 'http://localhost:3000',
          ratePerSecond: 10_000,
          batchSize: 25,
          concurrency: 3,
          workerId: `worker-${n}`,
        });
        return { worker, transport };
      }),
    );
    const results = await Promise.all(workers.map((w) => w.worker.drain()));
    for (const w of workers) await w.transport.close();

    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(1000);
    const received = sink.received.flatMap((m) => m.envelopeTo).filter((to) => to.includes(`-${tag}-`));
    expect(received).toHaveLength(1000);
    expect(new Set(received).size).toBe(1000);

    const rows = await queryRows<{ status: string; locked_by: string; n: number }>(
      owned.database.db,
      sql`select status, locked_by, count(*)::int as n from email_queue group by status, locked_by`,
    );
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // The work was really shared: every worker sent some of it.
    expect(rows.map((r) => r.locked_by).sort()).toEqual(['worker-1', 'worker-2', 'worker-3']);
  });

  it('`npm run worker -- --once` sends what is due through SMTP_URL and exits', {
    timeout: 120_000,
  }, async () => {
    const tag = randomBytes(3).toString('hex');
    await insertJobs(
      owned.database.db,
      Array.from({ length: 5 }, (_, k) => deletionJob(k, tag)),
    );
    const env = {
      ...process.env,
      DATABASE_URL: owned.url!,
      SMTP_URL: sink.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'silent',
      REDIS_URL: '',
    };
    delete (env as Record<string, string | undefined>).REDIS_URL;
    await run('npm', ['run', '--silent', 'worker', '--', '--once'], { cwd: repoRoot, env, timeout: 90_000 });
    const received = sink.received.flatMap((m) => m.envelopeTo).filter((to) => to.includes(`-${tag}-`));
    expect(received.sort()).toEqual(
      Array.from({ length: 5 }, (_, k) => `load-${tag}-${k}@example.com`).sort(),
    );
  });
});
