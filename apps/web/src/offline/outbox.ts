import { PROTOCOL_VERSION, type SyncResponse } from '@eventmanager/domain/checkin/sync.schema';
import type { WalkInResponse } from '@eventmanager/domain/checkin/walk-in.schema';
import { type BackoffPolicy, backoffDelay, outboxBackoff } from './backoff.ts';
import type { Clock, TimerHandle } from './clock.ts';
import type { Connectivity } from './connectivity.ts';
import type { CheckinStorage } from './storage.ts';
import { withExclusiveLock } from './tab-lock.ts';
import { type SyncTransport, TransportError } from './transport.ts';
import type { DeviceInfo, SyncQueueEntry } from './types.ts';

/**
 * The outbox: pushes the event's `sync_queue` to POST /sync in batches.
 *
 * - A cycle tries up to `maxTriesPerCycle` times with exponential backoff + jitter, then stops in the
 *   `stalled` phase ("N check-ins not yet sent" + retry button). Nothing is removed from the queue
 *   except entries the server answered for, so nothing is ever dropped.
 * - While the browser says it is offline no request is made; the `online` event starts a new cycle.
 * - Each send runs under a cross-tab exclusive lock and re-reads the queue inside it, so several tabs
 *   sharing the queue never send the same entry twice (and the server dedupes mutation ids anyway).
 */
export type OutboxPhase = 'idle' | 'sending' | 'waiting_retry' | 'stalled' | 'offline';

export type OutboxStatus = {
  phase: OutboxPhase;
  pending: number;
  /** Failed tries in the current cycle. */
  failures: number;
  nextRetryAt: number | null;
  lastError: string | null;
  lastSyncedAt: number | null;
};

export type SyncOutcome = {
  response: SyncResponse;
  sent: SyncQueueEntry[];
  /** Device clock at send and at answer: the midpoint estimates server_time's device-clock moment. */
  sentAt: number;
  receivedAt: number;
};

export type OutboxOptions = {
  eventId: string;
  storage: CheckinStorage;
  transport: SyncTransport;
  connectivity: Connectivity;
  clock: Clock;
  device: () => DeviceInfo;
  onSynced: (outcome: SyncOutcome) => void | Promise<void>;
  /** A walk-in the server registered (or had registered on an earlier send). */
  onWalkIn?: (answer: WalkInResponse) => void | Promise<void>;
  /** A walk-in the server refused for good (e-mail taken, answers invalid): it left the queue. */
  onWalkInRefused?: (entry: SyncQueueEntry, error: TransportError) => void | Promise<void>;
  onStatus?: (status: OutboxStatus) => void;
  random?: () => number;
  backoff?: BackoffPolicy;
  maxTriesPerCycle?: number;
  batchSize?: number;
  lockName?: string;
};

export class Outbox {
  private readonly o: Required<Omit<OutboxOptions, 'onStatus' | 'onWalkIn' | 'onWalkInRefused'>> &
    Pick<OutboxOptions, 'onStatus' | 'onWalkIn' | 'onWalkInRefused'>;
  private status: OutboxStatus = {
    phase: 'idle',
    pending: 0,
    failures: 0,
    nextRetryAt: null,
    lastError: null,
    lastSyncedAt: null,
  };
  private running: Promise<void> | null = null;
  private rerun = false;
  private timer: TimerHandle | null = null;
  private disposed = false;
  private readonly unsubscribe: () => void;

  constructor(options: OutboxOptions) {
    this.o = {
      random: Math.random,
      backoff: outboxBackoff,
      maxTriesPerCycle: 5,
      batchSize: 500,
      lockName: `eventmanager-outbox:${options.eventId}`,
      ...options,
    };
    this.unsubscribe = options.connectivity.subscribe((state) => {
      if (state.browserOnline && this.status.phase === 'offline') this.retryNow();
      else if (!state.browserOnline) this.goOffline();
    });
  }

  get current(): OutboxStatus {
    return this.status;
  }

  /** Call after entries were added (by this tab or another): sends them unless a backoff is pending. */
  kick(): void {
    if (this.disposed) return;
    if (this.status.phase === 'waiting_retry' || this.status.phase === 'stalled') {
      void this.refreshPending();
      return;
    }
    this.start();
  }

  /** The retry button, the `online` event and a socket reconnect: a fresh cycle of tries. */
  retryNow(): void {
    if (this.disposed) return;
    this.timer?.cancel();
    this.timer = null;
    this.update({ failures: 0, nextRetryAt: null, phase: 'idle' });
    this.start();
  }

  /** Resolves when the current run (including its retries' scheduling) has settled. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async refreshPending(): Promise<void> {
    const pending = await this.o.storage.countQueue(this.o.eventId);
    this.update({ pending });
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.unsubscribe();
  }

  private start(): void {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.rerun && !this.disposed) {
        this.rerun = false;
        if (this.status.phase === 'idle') this.start();
      }
    });
  }

  private goOffline(): void {
    this.timer?.cancel();
    this.timer = null;
    this.update({ phase: 'offline', nextRetryAt: null, failures: 0 });
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.disposed) return;
      if (!this.o.connectivity.canTry) {
        this.goOffline();
        await this.refreshPending();
        return;
      }
      let outcome: 'empty' | 'sent' | 'failed';
      try {
        outcome = await withExclusiveLock(this.o.lockName, () => this.sendOneBatch());
      } catch (error) {
        await this.fail(error);
        return;
      }
      if (outcome === 'empty') {
        this.update({ phase: 'idle', failures: 0, nextRetryAt: null, pending: 0 });
        return;
      }
    }
  }

  /** Inside the lock: read the oldest entries, send them, delete the answered ones. */
  private async sendOneBatch(): Promise<'empty' | 'sent'> {
    const queued = await this.o.storage.listQueue(this.o.eventId, this.o.batchSize);
    if (queued.length === 0) return 'empty';
    this.update({ phase: 'sending' });
    // Queue order is kept: a walk-in goes alone, check-ins in runs up to the next walk-in (an undo
    // of a walk-in must reach the server after the walk-in itself).
    if (queued[0]!.type === 'walk_in') return this.sendWalkIn(queued[0]!);
    const firstWalkIn = queued.findIndex((e) => e.type === 'walk_in');
    const batch = firstWalkIn === -1 ? queued : queued.slice(0, firstWalkIn);
    const device = this.o.device();
    const sentAt = this.o.clock.now();
    const response = await this.o.transport.sync(this.o.eventId, {
      device: { id: device.id, name: device.name },
      mutations: batch.map((e) => ({
        id: e.id,
        type: e.type === 'walk_in' ? 'check_in' : e.type,
        participant_id: e.payload.participant_id,
        local_timestamp: e.payload.local_timestamp,
      })),
      // Lets the server measure this device's clock offset on every sync.
      sent_at: new Date(sentAt).toISOString(),
      // A server of another protocol refuses the batch (400) instead of misreading it.
      protocol_version: PROTOCOL_VERSION,
    });
    const receivedAt = this.o.clock.now();
    this.o.connectivity.reportSuccess();
    // Only entries the server answered for leave the queue; anything it did not mention is resent.
    const answered = new Set(response.results.map((r) => r.id));
    const done = batch.filter((e) => answered.has(e.id));
    if (done.length === 0) throw new TransportError(500, 'the server answered none of the mutations');
    await this.o.storage.removeFromQueue(done.map((e) => e.id));
    const pending = await this.o.storage.countQueue(this.o.eventId);
    this.update({ pending, failures: 0, lastError: null, lastSyncedAt: receivedAt });
    await this.o.onSynced({ response, sent: done, sentAt, receivedAt });
    return 'sent';
  }

  private async sendWalkIn(entry: SyncQueueEntry): Promise<'sent'> {
    const transport = this.o.transport;
    if (!transport.walkIn || !entry.walkIn) throw new TransportError(500, 'walk-ins cannot be sent');
    const device = this.o.device();
    const sentAt = this.o.clock.now();
    let answer: WalkInResponse;
    try {
      answer = await transport.walkIn(this.o.eventId, {
        participant_id: entry.payload.participant_id,
        mutation_id: entry.id,
        identity: entry.walkIn.identity,
        custom_responses: entry.walkIn.custom_responses,
        device: { id: device.id, name: device.name },
        local_timestamp: entry.payload.local_timestamp,
        sent_at: new Date(sentAt).toISOString(),
      });
    } catch (error) {
      // Refused for good (400 answers, 409 e-mail taken, 404 no access): sending again cannot help.
      if (error instanceof TransportError && isFinalRefusal(error.status)) {
        this.o.connectivity.reportSuccess();
        await this.o.storage.removeFromQueue([entry.id]);
        await this.refreshPending();
        await this.o.onWalkInRefused?.(entry, error);
        return 'sent';
      }
      throw error;
    }
    const receivedAt = this.o.clock.now();
    this.o.connectivity.reportSuccess();
    await this.o.storage.removeFromQueue([entry.id]);
    const pending = await this.o.storage.countQueue(this.o.eventId);
    this.update({ pending, failures: 0, lastError: null, lastSyncedAt: receivedAt });
    await this.o.onWalkIn?.(answer);
    await this.o.onSynced({ response: answer.sync, sent: [entry], sentAt, receivedAt });
    return 'sent';
  }

  private async fail(error: unknown): Promise<void> {
    if (error instanceof TransportError && error.isNetwork) this.o.connectivity.reportNetworkFailure();
    const batch = await this.o.storage.listQueue(this.o.eventId, this.o.batchSize);
    await this.o.storage.incrementRetry(batch.map((e) => e.id));
    const pending = await this.o.storage.countQueue(this.o.eventId);
    const failures = this.status.failures + 1;
    const lastError = error instanceof Error ? error.message : String(error);
    if (!this.o.connectivity.canTry) {
      this.update({ pending, lastError });
      this.goOffline();
      return;
    }
    if (failures >= this.o.maxTriesPerCycle) {
      this.update({ phase: 'stalled', pending, failures, lastError, nextRetryAt: null });
      return;
    }
    const delay = backoffDelay(failures, this.o.backoff, this.o.random);
    const nextRetryAt = this.o.clock.now() + delay;
    this.update({ phase: 'waiting_retry', pending, failures, lastError, nextRetryAt });
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      this.update({ phase: 'idle', nextRetryAt: null });
      this.start();
    }, delay);
  }

  private update(patch: Partial<OutboxStatus>): void {
    this.status = { ...this.status, ...patch };
    this.o.onStatus?.(this.status);
  }
}

/** 4xx answers that will not change on a retry (not 401 — the session refreshes —, 408 or 429). */
function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}
