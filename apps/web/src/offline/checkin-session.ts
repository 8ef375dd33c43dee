import { optimisticCheckinStatus } from '@eventmanager/domain/checkin/optimistic';
import type { ServerMessage } from '@eventmanager/domain/checkin/realtime.schema';
import type { CheckinState, ParticipantChange } from '@eventmanager/domain/checkin/sync.schema';
import type { FormField } from '@eventmanager/domain/events/form-field';
import type { Clock, TimerHandle } from './clock.ts';
import type { Connectivity } from './connectivity.ts';
import { loadOrCreateDevice, renameDevice } from './device.ts';
import { Outbox, type OutboxStatus, type SyncOutcome } from './outbox.ts';
import { type SearchKey, searchKeyOf } from './participant-search.ts';
import { RealtimeClient, type RealtimePhase, type SocketLike } from './realtime-client.ts';
import type { CheckinStorage } from './storage.ts';
import type { ChangesTransport, SyncTransport } from './transport.ts';
import type {
  CheckinAction,
  CheckinLogRecord,
  CheckinStatus,
  DeviceInfo,
  EventMeta,
  ParticipantRecord,
  WalkInPayload,
} from './types.ts';
import { participantToRecord, withCheckinState } from './wire-mapping.ts';

export type ConflictNotice = {
  id: string;
  participantId: string;
  participantName: string;
  /** The status the participant ended with, decided by another device. */
  status: CheckinStatus;
  byDeviceName: string | null;
  /** Both actions came from this device (a double tap): no other device was involved. */
  sameDevice: boolean;
  at: number;
};

/**
 * Something this device asked for and the server refused for good: a check-in or undo of someone
 * not admitted (cancelled, waitlisted, pending …), or a walk-in it would not register.
 */
export type RefusalNotice = {
  id: string;
  participantId: string;
  participantName: string;
  kind: 'not_admitted' | 'walk_in_refused';
  registrationStatus: string | null;
  /** The server's problem code for a refused walk-in (`already_registered`, `validation` …). */
  code: string | null;
  at: number;
};

/** What staff typed for a walk-in at the door. */
export type WalkInForm = {
  name: string;
  email?: string;
  phone?: string;
  customResponses: Record<string, unknown>;
};

export type ActivityItem = {
  id: string;
  participantId: string;
  participantName: string;
  action: CheckinAction;
  deviceId: string | null;
  deviceName: string | null;
  own: boolean;
  at: number;
};

export type SnapshotTiming = { participants: number; fetchMs: number; applyMs: number; persistMs: number };

export type CheckinSessionOptions = {
  eventId: string;
  storage: CheckinStorage;
  transport: SyncTransport & ChangesTransport;
  connectivity: Connectivity;
  clock: Clock;
  defaultDeviceName: string;
  /** Live updates; absent in tests that drive messages by hand. */
  realtime?: {
    url: string;
    getToken: () => string | null;
    /** A fresh token before the socket's expires (see RealtimeClient). */
    renewToken?: () => Promise<string | null>;
    createSocket: (url: string) => SocketLike;
  };
  random?: () => number;
};

const ACTIVITY_LIMIT = 50;
/** Coalesces the IndexedDB writes of live updates (a reconnect can bring thousands at once). */
const WRITE_BEHIND_MS = 100;
/** Background changes reach the screen at most once per frame. */
const NOTIFY_BATCH_MS = 16;

/**
 * One event's check-in state on this device. The in-memory maps are the source the screen renders;
 * IndexedDB is written behind them, so a tap is on screen in the same frame. The status shown for a
 * participant is ALWAYS the domain fold over the logs the server decided its state from plus this
 * device's not-yet-synced logs (`optimisticCheckinStatus`): what the server will decide once they
 * arrive.
 */
export class CheckinSession {
  readonly eventId: string;
  private readonly o: CheckinSessionOptions;
  private deviceInfo: DeviceInfo = { id: '', name: '' };
  private meta: EventMeta;
  private readonly records = new Map<string, ParticipantRecord>();
  private readonly searchKeys = new Map<string, SearchKey>();
  private readonly byTicket = new Map<string, string>();
  private readonly pending = new Map<string, CheckinLogRecord[]>();
  private readonly statuses = new Map<string, CheckinStatus>();
  private sortedCache: ParticipantRecord[] | null = null;
  private checkedIn = 0;
  private registered = 0;
  /** Who is counted now in each counter (so a recount never depends on a record that changed since). */
  private readonly countedCheckedIn = new Set<string>();
  private readonly countedRegistered = new Set<string>();
  private refusalItems: RefusalNotice[] = [];
  private activityItems: ActivityItem[] = [];
  private conflictItems: ConflictNotice[] = [];
  private readonly deviceNames = new Map<string, string>();
  private outboxStatus: OutboxStatus;
  private realtimePhase: RealtimePhase = 'idle';
  private revisionValue = 0;
  private readonly listeners = new Set<() => void>();
  private outbox!: Outbox;
  private realtime: RealtimeClient | null = null;
  private catchingUp: Promise<void> | null = null;
  private snapshotWanted = false;
  private writesInFlight = 0;
  private notifyTimer: TimerHandle | null = null;
  private snapshotTiming: SnapshotTiming | null = null;
  private catchUpAgain = false;
  private readonly dirtyRecords = new Map<string, ParticipantRecord>();
  private metaDirty = false;
  private writeTimer: TimerHandle | null = null;
  private channel: BroadcastChannel | null = null;
  private readonly unsubscribers: (() => void)[] = [];
  private loadedValue = false;
  /** The server's protocol version when it is not the one this app speaks (then: reload). */
  private serverProtocolValue: number | null = null;
  private lastErrorValue: string | null = null;

  private constructor(options: CheckinSessionOptions) {
    this.o = options;
    this.eventId = options.eventId;
    this.meta = { eventId: options.eventId, cursor: null, clockOffsetMs: 0, snapshotLoadedAt: null };
    this.outboxStatus = {
      phase: 'idle',
      pending: 0,
      failures: 0,
      nextRetryAt: null,
      lastError: null,
      lastSyncedAt: null,
    };
  }

  /** Opens the cached state (works offline), then goes online in the background. */
  static async open(options: CheckinSessionOptions): Promise<CheckinSession> {
    const session = new CheckinSession(options);
    await session.load();
    session.start();
    return session;
  }

  // ---- reading (the screen) ----

  get revision(): number {
    return this.revisionValue;
  }
  get device(): DeviceInfo {
    return this.deviceInfo;
  }
  get loaded(): boolean {
    return this.loadedValue;
  }
  /** True once a snapshot has been fetched at least once (the screen can work offline). */
  get hasSnapshot(): boolean {
    return this.meta.cursor !== null;
  }
  get cursor(): number | null {
    return this.meta.cursor;
  }
  get clockOffsetMs(): number {
    return this.meta.clockOffsetMs;
  }
  get counters(): { checkedIn: number; registered: number; total: number } {
    return { checkedIn: this.checkedIn, registered: this.registered, total: this.records.size };
  }
  get sync(): OutboxStatus {
    // Taps whose IndexedDB write is still running count as waiting too: the outbox only sees the
    // queue on disk, and must never look "synced" while a tap is still on its way there.
    if (this.writesInFlight === 0) return this.outboxStatus;
    return { ...this.outboxStatus, pending: this.outboxStatus.pending + this.writesInFlight };
  }
  get connection(): RealtimePhase {
    return this.realtimePhase;
  }
  get online(): boolean {
    return this.o.connectivity.isOnline;
  }
  get activity(): readonly ActivityItem[] {
    return this.activityItems;
  }
  get conflicts(): readonly ConflictNotice[] {
    return this.conflictItems;
  }
  get refusals(): readonly RefusalNotice[] {
    return this.refusalItems;
  }
  /** True until someone on this device chose its name. */
  get needsDeviceName(): boolean {
    return !this.deviceInfo.named;
  }
  /** The event's registration form as last seen online (walk-ins need it offline). */
  get formFields(): readonly FormField[] | null {
    return this.meta.formFields ?? null;
  }
  /** How long the last full snapshot took: download + parse, in-memory index, IndexedDB write. */
  get lastSnapshotTiming(): SnapshotTiming | null {
    return this.snapshotTiming;
  }
  get lastError(): string | null {
    return this.lastErrorValue;
  }
  /** Set when the server speaks another protocol version: the app must be reloaded. */
  get protocolMismatch(): number | null {
    return this.serverProtocolValue;
  }

  /** Participants ordered by registration number (stable array between membership changes). */
  participants(): readonly ParticipantRecord[] {
    this.sortedCache ??= [...this.records.values()].sort(
      (a, b) => a.registrationNumber - b.registrationNumber,
    );
    return this.sortedCache;
  }
  participant(id: string): ParticipantRecord | undefined {
    return this.records.get(id);
  }
  searchKey(id: string): SearchKey | undefined {
    return this.searchKeys.get(id);
  }
  statusOf(id: string): CheckinStatus {
    return this.statuses.get(id) ?? 'not_checked_in';
  }
  /** Only `registered` people may be checked in; the others show their registration status. */
  isAdmitted(id: string): boolean {
    return this.records.get(id)?.registrationStatus === 'registered';
  }
  /** When and on which device the participant was checked in, as far as this device knows. */
  checkinInfo(id: string): { at: number | null; deviceName: string | null; own: boolean } | null {
    const record = this.records.get(id);
    if (!record || this.statusOf(id) !== 'checked_in') return null;
    const mine = this.pending.get(id)?.findLast((l) => l.action === 'check_in');
    if (mine) return { at: mine.localTimestamp, deviceName: mine.deviceName, own: true };
    const deviceId = record.checkin.deviceId;
    const own = deviceId !== null && deviceId === this.deviceInfo.id;
    return {
      at: record.checkin.timestamp ? Date.parse(record.checkin.timestamp) : null,
      deviceName: own ? this.deviceInfo.name : deviceId ? (this.deviceNames.get(deviceId) ?? null) : null,
      own,
    };
  }
  isPending(id: string): boolean {
    return (this.pending.get(id)?.length ?? 0) > 0;
  }
  findByTicketCode(code: string): ParticipantRecord | undefined {
    const id = this.byTicket.get(code) ?? (this.records.has(code) ? code : undefined);
    return id ? this.records.get(id) : undefined;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- writing ----

  checkIn(participantId: string): CheckinLogRecord | null {
    return this.act(participantId, 'check_in');
  }
  undoCheckIn(participantId: string): CheckinLogRecord | null {
    return this.act(participantId, 'undo_check_in');
  }

  retrySync(): void {
    this.outbox.retryNow();
    void this.catchUp();
  }

  dismissConflict(id: string): void {
    this.conflictItems = this.conflictItems.filter((c) => c.id !== id);
    this.changed();
  }

  dismissRefusal(id: string): void {
    this.refusalItems = this.refusalItems.filter((c) => c.id !== id);
    this.changed();
  }

  /** Keeps the event's form (read online by the screen) for walk-ins with no network. */
  rememberFormFields(fields: FormField[]): void {
    if (JSON.stringify(fields) === JSON.stringify(this.meta.formFields ?? null)) return;
    this.meta = { ...this.meta, formFields: fields };
    this.scheduleWrite(true);
    this.changedSoon();
  }

  /**
   * Registers someone at the door and checks them in, in one step, offline too: the person is on
   * screen (checked in, counted) at once under an id this device chose, and the walk-in waits in
   * the outbox like a check-in; the server registers and checks them in when it arrives, once
   * however often it is sent.
   */
  walkIn(form: WalkInForm): ParticipantRecord {
    const id = crypto.randomUUID();
    const record: ParticipantRecord = {
      id,
      eventId: this.eventId,
      name: form.name.trim(),
      email: form.email?.trim() ?? '',
      phone: form.phone?.trim() || null,
      // 0 until the server numbers it: listed first, shown as a walk-in.
      registrationNumber: 0,
      registrationStatus: 'registered',
      ticketCode: null,
      checkin: { status: 'not_checked_in', timestamp: null, deviceId: null },
      version: 0,
    };
    this.upsertRecord(record);
    this.act(id, 'check_in', {
      identity: {
        name: record.name,
        ...(record.email ? { email: record.email } : {}),
        ...(record.phone ? { phone: record.phone } : {}),
      },
      custom_responses: form.customResponses,
    });
    return record;
  }

  async renameDevice(name: string): Promise<void> {
    // The realtime client and the outbox read the device at each use: the new name goes with the next sync.
    this.deviceInfo = await renameDevice(this.o.storage, this.deviceInfo, name);
    this.changed();
  }

  /** Resolves when queued writes are on disk (tests, benchmarks, page hide). */
  async flushWrites(): Promise<void> {
    this.writeTimer?.cancel();
    this.writeTimer = null;
    const records = [...this.dirtyRecords.values()];
    this.dirtyRecords.clear();
    const meta = this.metaDirty ? { ...this.meta } : undefined;
    this.metaDirty = false;
    if (records.length > 0 || meta) await this.o.storage.applyChanges(records, meta);
  }

  async dispose(): Promise<void> {
    this.realtime?.stop();
    this.outbox.dispose();
    for (const u of this.unsubscribers) u();
    this.channel?.close();
    this.notifyTimer?.cancel();
    await this.flushWrites();
    this.listeners.clear();
  }

  /**
   * Fetch the whole snapshot again (e.g. a scanned ticket is not in the cache: someone registered
   * after the last snapshot, and live registrations carry no ticket code). Pending taps stay applied.
   */
  reloadSnapshot(): Promise<void> {
    this.snapshotWanted = true;
    return this.catchUp();
  }

  /** Fetch what changed since the cursor (or the whole snapshot the first time). Single flight. */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      do {
        this.catchUpAgain = false;
        await this.catchUpOnce();
      } while (this.catchUpAgain);
    })()
      .catch((error: unknown) => {
        this.lastErrorValue = error instanceof Error ? error.message : String(error);
        this.changedSoon();
      })
      .finally(() => {
        this.catchingUp = null;
      });
    return this.catchingUp;
  }

  /** Apply a server→client message (the socket calls this; tests may too). */
  handleMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'checkin_updated': {
        if (message.eventId !== this.eventId) return;
        if (message.deviceId && message.deviceName)
          this.deviceNames.set(message.deviceId, message.deviceName);
        const record = this.records.get(message.participantId);
        if (record) {
          this.applyState(record, {
            participant_id: message.participantId,
            status: message.status,
            version: message.version,
            timestamp: message.timestamp ?? null,
            device_id: message.deviceId ?? null,
            checked_by: null,
            ...(message.logs ? { logs: message.logs } : {}),
          });
          if (message.deviceId && message.deviceId !== this.deviceInfo.id) {
            this.addActivity({
              id: `remote:${message.participantId}:${message.version}`,
              participantId: message.participantId,
              participantName: record.name,
              action: message.status === 'checked_in' ? 'check_in' : 'undo_check_in',
              deviceId: message.deviceId,
              deviceName: this.deviceNames.get(message.deviceId) ?? null,
              own: false,
              at: this.o.clock.now(),
            });
          }
        }
        // A registration change (cancelled, approved, edited …) announces only the check-in part:
        // the whole participant, with its registration status, comes from /changes.
        const needsParticipant = message.kind !== undefined && message.kind !== 'checkin';
        this.advanceCursor(message.cursor, !record || needsParticipant);
        this.changedSoon();
        return;
      }
      case 'participant_registered': {
        if (message.eventId !== this.eventId) return;
        this.upsertRecord(participantToRecord(message.participant));
        if (message.cursor !== undefined) this.advanceCursor(message.cursor, false);
        this.changedSoon();
        return;
      }
      case 'sync_conflict': {
        const d = message.details;
        if (d.eventId !== this.eventId) return;
        this.deviceNames.set(d.winningDeviceId, d.winningDeviceName);
        this.addConflict(
          d.participantId,
          d.status,
          d.winningDeviceName,
          d.sameDevice ?? d.winningDeviceId === this.deviceInfo.id,
          message.conflictId,
        );
        this.changedSoon();
        return;
      }
      default:
        return;
    }
  }

  // ---- internals ----

  private async load(): Promise<void> {
    this.deviceInfo = await loadOrCreateDevice(this.o.storage, this.o.defaultDeviceName);
    this.meta = (await this.o.storage.getEventMeta(this.eventId)) ?? this.meta;
    const [records, logs, queue] = await Promise.all([
      this.o.storage.listParticipants(this.eventId),
      this.o.storage.listLogs(this.eventId),
      this.o.storage.queuedIds(this.eventId),
    ]);
    const pendingCount = queue.length;
    // A log is pending while its outbox entry exists; the `synced` flag is written after the entry
    // is removed and may be missing if the page closed in between.
    const queued = new Set(queue);
    for (const r of records) this.indexRecord(r);
    for (const log of logs.sort((a, b) => a.timestamp - b.timestamp)) {
      if (!log.synced && queued.has(log.id)) this.pushPending(log);
      const record = this.records.get(log.participantId);
      this.activityItems.unshift({
        id: log.id,
        participantId: log.participantId,
        participantName: record?.name ?? '',
        action: log.action,
        deviceId: log.deviceId,
        deviceName: log.deviceName,
        own: true,
        at: log.localTimestamp,
      });
    }
    this.activityItems = this.activityItems.slice(0, ACTIVITY_LIMIT);
    this.recomputeAll();
    this.outboxStatus = { ...this.outboxStatus, pending: pendingCount };
    this.loadedValue = true;
    this.changed();
  }

  private start(): void {
    const { connectivity, clock } = this.o;
    this.outbox = new Outbox({
      eventId: this.eventId,
      storage: this.o.storage,
      transport: this.o.transport,
      connectivity,
      clock,
      device: () => this.deviceInfo,
      onSynced: (outcome) => this.onSynced(outcome),
      onWalkIn: (answer) => {
        const incoming = participantToRecord(answer.participant);
        const existing = this.records.get(incoming.id);
        if (!existing || incoming.version >= existing.version || existing.registrationNumber === 0)
          this.upsertRecord(
            existing ? { ...incoming, checkin: existing.checkin, version: existing.version } : incoming,
          );
      },
      onWalkInRefused: (entry, error) => {
        const participantId = entry.payload.participant_id;
        const record = this.records.get(participantId);
        this.pending.delete(participantId);
        this.activityItems = this.activityItems.filter((a) => a.participantId !== participantId);
        this.records.delete(participantId);
        this.searchKeys.delete(participantId);
        this.sortedCache = null;
        this.recompute(participantId);
        this.dirtyRecords.delete(participantId);
        void this.o.storage.removeParticipant(participantId).catch(() => {});
        this.addRefusal({
          participantId,
          participantName: record?.name ?? entry.walkIn?.identity.name ?? '',
          kind: 'walk_in_refused',
          registrationStatus: null,
          code: error.code ?? null,
        });
        this.changedSoon();
      },
      onStatus: (status) => {
        this.outboxStatus = status;
        this.changedSoon();
      },
      ...(this.o.random ? { random: this.o.random } : {}),
    });
    this.unsubscribers.push(
      connectivity.subscribe((state) => {
        if (state.browserOnline) {
          this.realtime?.nudge();
          void this.catchUp();
        }
        this.changedSoon();
      }),
    );
    if (this.o.realtime) {
      const rt = this.o.realtime;
      this.realtime = new RealtimeClient({
        url: rt.url,
        getToken: rt.getToken,
        ...(rt.renewToken ? { renewToken: rt.renewToken } : {}),
        createSocket: rt.createSocket,
        deviceId: this.deviceInfo.id,
        clock,
        ...(this.o.random ? { random: this.o.random } : {}),
        onConnected: () => {
          connectivity.reportSuccess();
          // Back in touch: fetch what was missed and push what waited.
          void this.catchUp();
          this.outbox.retryNow();
        },
        onMessage: (m) => this.handleMessage(m),
        onCursors: (cursors) => {
          const latest = cursors[this.eventId];
          if (latest !== undefined && this.meta.cursor !== null && latest > this.meta.cursor)
            void this.catchUp();
        },
        onClockOffset: (offset) => {
          this.meta = { ...this.meta, clockOffsetMs: offset };
          this.scheduleWrite(true);
        },
        onPhase: (phase) => {
          this.realtimePhase = phase;
          this.changedSoon();
        },
        onProtocolMismatch: (serverVersion) => {
          this.serverProtocolValue = serverVersion;
          this.changedSoon();
        },
      });
      this.realtime.subscribe(this.eventId);
      this.realtime.start();
    }
    if (typeof BroadcastChannel !== 'undefined') {
      // Other tabs of this device: their taps show here at once, and their syncs clear our pending view.
      this.channel = new BroadcastChannel(`eventmanager-checkin:${this.eventId}`);
      this.channel.onmessage = (ev: MessageEvent<TabMessage>) => this.onTabMessage(ev.data);
    }
    void this.catchUp();
    this.outbox.kick();
  }

  private act(participantId: string, action: CheckinAction, walkIn?: WalkInPayload): CheckinLogRecord | null {
    const record = this.records.get(participantId);
    if (!record) return null;
    // Nobody is checked in (or undone) who has no seat: the server would refuse it anyway.
    if (record.registrationStatus !== 'registered') return null;
    const local = this.o.clock.now();
    const log: CheckinLogRecord = {
      id: crypto.randomUUID(),
      eventId: this.eventId,
      participantId,
      action,
      timestamp: local + this.meta.clockOffsetMs,
      localTimestamp: local,
      deviceId: this.deviceInfo.id,
      deviceName: this.deviceInfo.name,
      synced: false,
    };
    // Screen first: in-memory state and listeners, synchronously.
    this.pushPending(log);
    this.recompute(participantId);
    this.addActivity({
      id: log.id,
      participantId,
      participantName: record.name,
      action,
      deviceId: log.deviceId,
      deviceName: log.deviceName,
      own: true,
      at: local,
    });
    this.writesInFlight++;
    this.changed();
    // Then disk and network. The write starts inside the tap's task so it is already queued in
    // IndexedDB if the page closes right after.
    void this.o.storage
      .recordLocalAction(log, {
        id: log.id,
        eventId: this.eventId,
        type: walkIn ? 'walk_in' : action,
        payload: { participant_id: participantId, local_timestamp: new Date(local).toISOString() },
        ...(walkIn ? { walkIn } : {}),
        retry_count: 0,
        created_at: local,
      })
      .then(async () => {
        // After the write: the outbox reads the queue from storage (shared with other tabs). Its
        // count includes this entry before the tap stops counting as "in flight".
        await this.outbox.refreshPending();
        this.outbox.kick();
        this.channel?.postMessage({ type: 'local_action', log } satisfies TabMessage);
      })
      .catch((error: unknown) => {
        this.lastErrorValue = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        this.writesInFlight--;
        this.changedSoon();
      });
    return log;
  }

  private async onSynced(outcome: SyncOutcome): Promise<void> {
    const ids = outcome.sent.map((e) => e.id);
    // Not awaited: the next batch need not wait for this bookkeeping write (see load()).
    void this.o.storage.markLogsSynced(ids).catch(() => {});
    this.channel?.postMessage({ type: 'synced', ids } satisfies TabMessage);
    this.meta = { ...this.meta, clockOffsetMs: outcome.response.clock_offset_ms };
    this.metaDirty = true;
    const lastIntent = new Map<string, CheckinAction>();
    for (const e of outcome.sent)
      lastIntent.set(e.payload.participant_id, e.type === 'walk_in' ? 'check_in' : e.type);
    const conflicted = new Set<string>();
    for (const result of outcome.response.results)
      if (result.conflict && result.state) conflicted.add(result.state.participant_id);
    // Refused because the person is not admitted: say so, and show their real status — this
    // device's list was stale. Not a conflict with another device.
    for (const result of outcome.response.results) {
      if (result.reason !== 'not_admitted' || !result.state) continue;
      const participantId = result.state.participant_id;
      lastIntent.delete(participantId);
      const record = this.records.get(participantId);
      if (record && result.registration_status && record.registrationStatus !== result.registration_status) {
        const next = { ...record, registrationStatus: result.registration_status };
        this.records.set(participantId, next);
        this.dirtyRecords.set(participantId, next);
      }
      this.addRefusal({
        participantId,
        participantName: record?.name ?? '',
        kind: 'not_admitted',
        registrationStatus: result.registration_status ?? null,
        code: null,
      });
    }
    this.dropPending(new Set(ids));
    for (const result of outcome.response.results) {
      const state = result.state;
      if (!state) continue;
      const record = this.records.get(state.participant_id);
      if (record) this.applyState(record, state);
    }
    // My last action for a participant did not stick: another device decided otherwise.
    for (const [participantId, action] of lastIntent) {
      const record = this.records.get(participantId);
      if (!record) continue;
      const intended: CheckinStatus = action === 'check_in' ? 'checked_in' : 'not_checked_in';
      const now = this.statusOf(participantId);
      if (conflicted.has(participantId) || (now !== intended && !this.isPending(participantId))) {
        const deviceId = record.checkin.deviceId;
        this.addConflict(
          participantId,
          now,
          deviceId ? (this.deviceNames.get(deviceId) ?? null) : null,
          deviceId === this.deviceInfo.id,
        );
      }
    }
    this.scheduleWrite(true);
    this.changedSoon();
  }

  private async catchUpOnce(): Promise<void> {
    if (!this.o.connectivity.canTry) return;
    if (this.meta.cursor === null || this.snapshotWanted) {
      this.snapshotWanted = false;
      const started = performance.now();
      const first = await this.o.transport.changes(this.eventId, null);
      const fetched = performance.now();
      this.o.connectivity.reportSuccess();
      const records = (first.snapshot ?? []).map((p) => participantToRecord(p));
      // Walk-ins registered here and not yet sent are in no snapshot: they stay.
      const localOnly = [...this.records.values()].filter(
        (r) => r.registrationNumber === 0 && this.isPending(r.id),
      );
      this.records.clear();
      this.searchKeys.clear();
      this.byTicket.clear();
      for (const r of records) this.indexRecord(r);
      for (const r of localOnly) {
        if (this.records.has(r.id)) continue;
        records.push(r);
        this.indexRecord(r);
      }
      this.sortedCache = null;
      this.meta = { ...this.meta, cursor: first.cursor, snapshotLoadedAt: this.o.clock.now() };
      this.applyChangeList(first.changes);
      this.meta = { ...this.meta, cursor: first.cursor };
      this.recomputeAll();
      this.changedSoon();
      const applied = performance.now();
      await this.o.storage.replaceSnapshot(this.eventId, [...this.records.values()], { ...this.meta });
      const persisted = performance.now();
      this.snapshotTiming = {
        participants: this.records.size,
        fetchMs: fetched - started,
        applyMs: applied - fetched,
        persistMs: persisted - applied,
      };
      if (!first.has_more) return;
    }
    for (;;) {
      const since = this.meta.cursor ?? 0;
      const page = await this.o.transport.changes(this.eventId, since);
      this.o.connectivity.reportSuccess();
      this.applyChangeList(page.changes);
      if (page.changes.length === 0) this.meta = { ...this.meta, cursor: Math.max(since, page.cursor) };
      this.changedSoon();
      this.scheduleWrite(true);
      if (!page.has_more) return;
    }
  }

  private applyChangeList(changes: ParticipantChange[]): void {
    for (const change of changes) {
      if (change.participant) {
        const incoming = participantToRecord(change.participant, change.checkin.logs);
        const existing = this.records.get(incoming.id);
        if (!existing || incoming.version >= existing.version) this.upsertRecord(incoming);
      } else {
        const record = this.records.get(change.participant_id);
        if (record) this.applyState(record, change.checkin);
      }
      if (this.meta.cursor === null || change.cursor > this.meta.cursor) {
        this.meta = { ...this.meta, cursor: change.cursor };
      }
    }
  }

  /**
   * Dense cursors: n+1 after n is the next change; a bigger jump means live messages were missed
   * (the socket dropped, or another instance published first) → catch up from the stored cursor.
   */
  private advanceCursor(cursor: number, unknownParticipant: boolean): void {
    const current = this.meta.cursor;
    if (current === null) return;
    if (cursor === current + 1 && !unknownParticipant) {
      this.meta = { ...this.meta, cursor };
      this.scheduleWrite(true);
    } else if (cursor > current) {
      void this.catchUp();
    }
  }

  private applyState(record: ParticipantRecord, state: CheckinState): void {
    const next = withCheckinState(record, state);
    if (!next) return;
    this.records.set(next.id, next);
    this.dirtyRecords.set(next.id, next);
    this.recompute(next.id);
    this.scheduleWrite(false);
  }

  private upsertRecord(record: ParticipantRecord): void {
    if (!this.records.has(record.id)) this.sortedCache = null;
    this.indexRecord(record);
    this.dirtyRecords.set(record.id, record);
    this.recompute(record.id);
    this.scheduleWrite(false);
  }

  private indexRecord(record: ParticipantRecord): void {
    const previous = this.records.get(record.id);
    if (previous?.ticketCode) this.byTicket.delete(previous.ticketCode);
    if (previous && previous.registrationNumber !== record.registrationNumber) this.sortedCache = null;
    if (!previous) this.sortedCache = null;
    this.records.set(record.id, record);
    this.searchKeys.set(record.id, searchKeyOf(record));
    if (record.ticketCode) this.byTicket.set(record.ticketCode, record.id);
  }

  private pushPending(log: CheckinLogRecord): void {
    const list = this.pending.get(log.participantId);
    if (list) {
      if (!list.some((l) => l.id === log.id)) list.push(log);
    } else this.pending.set(log.participantId, [log]);
  }

  private dropPending(ids: Set<string>): void {
    for (const [participantId, list] of this.pending) {
      const rest = list.filter((l) => !ids.has(l.id));
      if (rest.length === list.length) continue;
      if (rest.length === 0) this.pending.delete(participantId);
      else this.pending.set(participantId, rest);
      this.recompute(participantId);
    }
  }

  /** The displayed status: the domain fold over the server's logs + this device's pending logs. */
  private resolveStatus(record: ParticipantRecord): CheckinStatus {
    const local = this.pending.get(record.id);
    if (!local || local.length === 0) return record.checkin.status;
    return optimisticCheckinStatus(record.checkin, local);
  }

  private recompute(participantId: string): void {
    const record = this.records.get(participantId);
    if (this.countedCheckedIn.delete(participantId)) this.checkedIn--;
    if (this.countedRegistered.delete(participantId)) this.registered--;
    if (!record) {
      this.statuses.delete(participantId);
      return;
    }
    const status = this.resolveStatus(record);
    this.statuses.set(participantId, status);
    // "checked in / admitted": someone checked in and cancelled since counts in neither.
    if (this.countsAsRegistered(participantId)) {
      this.registered++;
      this.countedRegistered.add(participantId);
      if (status === 'checked_in') {
        this.checkedIn++;
        this.countedCheckedIn.add(participantId);
      }
    }
  }

  private countsAsRegistered(participantId: string): boolean {
    return this.records.get(participantId)?.registrationStatus === 'registered';
  }

  private recomputeAll(): void {
    this.statuses.clear();
    this.checkedIn = 0;
    this.registered = 0;
    this.countedCheckedIn.clear();
    this.countedRegistered.clear();
    for (const id of this.records.keys()) this.recompute(id);
  }

  private addActivity(item: ActivityItem): void {
    this.activityItems = [item, ...this.activityItems.filter((a) => a.id !== item.id)].slice(
      0,
      ACTIVITY_LIMIT,
    );
  }

  private addRefusal(notice: Omit<RefusalNotice, 'id' | 'at'>): void {
    this.refusalItems = [
      { ...notice, id: crypto.randomUUID(), at: this.o.clock.now() },
      ...this.refusalItems.filter((r) => r.participantId !== notice.participantId),
    ].slice(0, 10);
  }

  private addConflict(
    participantId: string,
    status: CheckinStatus,
    byDeviceName: string | null,
    sameDevice: boolean,
    id?: string,
  ): void {
    const record = this.records.get(participantId);
    const existing = this.conflictItems.filter((c) => c.participantId !== participantId);
    this.conflictItems = [
      {
        id: id ?? crypto.randomUUID(),
        participantId,
        participantName: record?.name ?? '',
        status,
        byDeviceName: sameDevice ? null : (byDeviceName ?? existingName(this.conflictItems, participantId)),
        sameDevice,
        at: this.o.clock.now(),
      },
      ...existing,
    ].slice(0, 10);
  }

  private onTabMessage(message: TabMessage): void {
    if (message.type === 'local_action') {
      this.pushPending(message.log);
      this.recompute(message.log.participantId);
      const record = this.records.get(message.log.participantId);
      this.addActivity({
        id: message.log.id,
        participantId: message.log.participantId,
        participantName: record?.name ?? '',
        action: message.log.action,
        deviceId: message.log.deviceId,
        deviceName: message.log.deviceName,
        own: true,
        at: message.log.localTimestamp,
      });
      void this.outbox.refreshPending();
    } else {
      this.dropPending(new Set(message.ids));
      void this.outbox.refreshPending();
    }
    this.changedSoon();
  }

  private scheduleWrite(meta: boolean): void {
    if (meta) this.metaDirty = true;
    if (this.writeTimer) return;
    this.writeTimer = this.o.clock.setTimeout(() => {
      this.writeTimer = null;
      void this.flushWrites();
    }, WRITE_BEHIND_MS);
  }

  /** Tell the screen now: a tap must be on screen in the same frame. */
  private changed(): void {
    this.notifyTimer?.cancel();
    this.notifyTimer = null;
    this.revisionValue++;
    for (const l of this.listeners) l();
  }

  /**
   * Tell the screen within a frame: live messages, sync answers and outbox status arrive in bursts
   * (a reconnect brings a thousand), and one render per frame is all the screen can show anyway.
   */
  private changedSoon(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = this.o.clock.setTimeout(() => {
      this.notifyTimer = null;
      this.changed();
    }, NOTIFY_BATCH_MS);
  }
}

type TabMessage = { type: 'local_action'; log: CheckinLogRecord } | { type: 'synced'; ids: string[] };

function existingName(items: readonly ConflictNotice[], participantId: string): string | null {
  return items.find((c) => c.participantId === participantId)?.byDeviceName ?? null;
}
