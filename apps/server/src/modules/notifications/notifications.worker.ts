import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { emailSchema } from '@eventmanager/domain/common/schema';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { getNotificationContext } from '../participants/participants.api.ts';
import { type MailPayload, mailDataSchemas, participantRefSchema } from './mail-data.ts';
import { classifySendError, MAX_RETRIES, PermanentMailError, RETRY_DELAY_MS } from './mail-errors.ts';
import type { MailTransport } from './mail-transport.ts';
import { brandingOf, participantMailData } from './notifications.compose.ts';
import {
  claimDueJobs,
  type MailJobRow,
  recordOutcome,
  releaseExpiredLeases,
} from './notifications.repository.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { renderMail } from './templates/render.ts';

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MailWorkerOptions {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  mailFrom: string;
  publicUrl: string;
  /** Messages per second this worker may hand to the transport (MAIL_RATE_PER_SECOND). */
  ratePerSecond: number;
  /** Jobs claimed per short claiming transaction. */
  batchSize?: number;
  /** Messages in flight at once (the SMTP pool has this many connections). */
  concurrency?: number;
  /** Idle wait between polls when the queue is empty (real time). */
  pollMs?: number;
  /** How long a claimed job stays ours; past it a crashed worker's job is claimed again. */
  leaseMs?: number;
  /** Runs before each claim (the reminder scheduler), at most every `tickEveryMs` of the clock. */
  tick?: (now: Date) => Promise<void>;
  tickEveryMs?: number;
  workerId?: string;
  log?: WorkerLog;
}

export interface RunResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

/**
 * The e-mail worker: claims due jobs (FOR UPDATE SKIP LOCKED, so any number of workers on one
 * PostgreSQL split the queue without sending anything twice), renders, sends, records the outcome.
 * Each step is its own short statement; nothing holds a transaction open while SMTP talks.
 */
export function createMailWorker(options: MailWorkerOptions) {
  const { db, clock, transport } = options;
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 5;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 10 * 60 * 1000;
  const tickEveryMs = options.tickEveryMs ?? 30_000;
  const limiter = createRateLimiter(options.ratePerSecond);
  let lastTick = Number.NEGATIVE_INFINITY;

  async function deliver(job: MailJobRow): Promise<keyof Omit<RunResult, 'claimed'>> {
    const startedAt = clock.now();
    if (job.expires_at && job.expires_at.getTime() <= startedAt.getTime()) {
      await recordOutcome(db, job.id, workerId, {
        status: 'cancelled',
        at: startedAt,
        error: 'expired before sending',
      });
      return 'cancelled';
    }
    let recipient = job.recipient;
    let jobData = job.data;
    if (participantRefSchema.safeParse(job.data).success) {
      const ctx = job.participant_id ? await getNotificationContext(db, job.participant_id) : undefined;
      if (ctx?.participant.registration.status !== 'registered') {
        await recordOutcome(db, job.id, workerId, {
          status: 'cancelled',
          at: startedAt,
          error: 'participant no longer registered',
        });
        return 'cancelled';
      }
      recipient = ctx.participant.identity.email;
      jobData = participantMailData(ctx, brandingOf(ctx.event));
    }
    let info: { messageId: string | null };
    try {
      if (!emailSchema.safeParse(recipient).success) {
        throw new PermanentMailError(`invalid recipient address: ${recipient}`);
      }
      const parsed = mailDataSchemas[job.type].safeParse(jobData);
      if (!parsed.success) throw new PermanentMailError(`invalid template data: ${parsed.error.message}`);
      const payload = { type: job.type, data: parsed.data } as MailPayload;
      const rendered = await renderMail(payload, { publicUrl: options.publicUrl, now: startedAt });
      await limiter.acquire();
      const replyTo = 'reply_to' in payload.data ? payload.data.reply_to : null;
      info = await transport.send({
        from: options.mailFrom,
        to: recipient,
        // Only a well-formed address becomes a header (the data was captured from the event).
        replyTo: replyTo && emailSchema.safeParse(replyTo).success ? replyTo : undefined,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        attachments: rendered.attachments,
        jobId: job.id,
      });
    } catch (err) {
      const failure = classifySendError(err);
      const at = clock.now();
      if (failure.transient && job.retry_count < MAX_RETRIES) {
        await recordOutcome(db, job.id, workerId, {
          status: 'retry',
          at,
          nextRetry: new Date(at.getTime() + RETRY_DELAY_MS),
          error: failure.message,
        });
        options.log?.warn(
          { jobId: job.id, type: job.type, error: failure.message },
          'e-mail send failed; will retry',
        );
        return 'retried';
      }
      await recordOutcome(db, job.id, workerId, { status: 'failed', at, error: failure.message });
      options.log?.error(
        { jobId: job.id, type: job.type, error: failure.message },
        'e-mail failed permanently',
      );
      return 'failed';
    }
    // Outside the try: a database error here must not be mistaken for a failed send and retried
    // (the message is out). The job stays 'sending' and its lease decides, as after a crash.
    await recordOutcome(db, job.id, workerId, { status: 'sent', at: clock.now(), messageId: info.messageId });
    return 'sent';
  }

  /** One pass: scheduler tick (if due), recover expired leases, claim a batch, deliver it. */
  async function runOnce(): Promise<RunResult> {
    const now = clock.now();
    if (options.tick && now.getTime() - lastTick >= tickEveryMs) {
      lastTick = now.getTime();
      await options.tick(now);
    }
    await releaseExpiredLeases(db, now);
    const jobs = await claimDueJobs(db, { now, limit: batchSize, workerId, leaseMs });
    const result: RunResult = { claimed: jobs.length, sent: 0, retried: 0, failed: 0, cancelled: 0 };
    let next = 0;
    const lanes = Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        result[await deliver(job)]++;
      }
    });
    await Promise.all(lanes);
    return result;
  }

  /** Runs passes until nothing is due (tests and the CLI's --once). */
  async function drain(): Promise<RunResult> {
    const total: RunResult = { claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0 };
    for (;;) {
      const r = await runOnce();
      for (const k of Object.keys(total) as (keyof RunResult)[]) total[k] += r[k];
      if (r.claimed === 0) return total;
    }
  }

  let loop: Promise<void> | undefined;
  let abort: AbortController | undefined;

  return {
    workerId,
    runOnce,
    drain,
    /** Polls until stop(): straight on while there is work, every `pollMs` when idle. */
    start(): void {
      if (loop) return;
      abort = new AbortController();
      const signal = abort.signal;
      loop = (async () => {
        while (!signal.aborted) {
          let idle = true;
          try {
            idle = (await runOnce()).claimed === 0;
          } catch (err) {
            options.log?.error({ err }, 'e-mail worker pass failed');
          }
          if (idle && !signal.aborted) await sleep(pollMs, undefined, { signal }).catch(() => {});
        }
      })();
    },
    /** Finishes the pass in progress (its jobs are recorded), then returns. */
    async stop(): Promise<void> {
      abort?.abort();
      await loop;
      loop = undefined;
    },
  };
}

export type MailWorker = ReturnType<typeof createMailWorker>;
