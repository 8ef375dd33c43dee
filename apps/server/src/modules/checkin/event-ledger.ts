import type { BatchSnapshot, ParticipantState } from './checkin.repository.ts';
import type { LogHistory } from './log-history.ts';

/**
 * An instance's in-memory copy of what its sync groups decide on, per event: each live
 * participant's check-in row (state, version, revision) and ALL its logs, in the resolver's order
 * with the fold over them (log-history.ts). On event day every sync
 * touches someone of the same few thousand people, so an instance loads the event once (one
 * statement, like a device's snapshot) and then decides a group without reading: its single write
 * statement still checks every participant's revision (compare-and-set), so a stale copy — another
 * instance or another writer changed the row — can never be written from. It costs a retry that
 * reads those participants again (and refreshes the copy), nothing else.
 *
 * Why the copy is exact whenever the revision matches: a participant's logs only ever change in the
 * same statement that re-writes its row (giving it a new revision), the load and every refresh are
 * single snapshots, and after a successful write the copy gets exactly the logs that statement
 * inserted (the statement checks their count) and the revision it produced.
 *
 * Bounded: events unused for `idleMs` are dropped; past `maxParticipants` or `maxLogs` in all,
 * the least recently used events go first; an event larger than that alone is not kept (its groups
 * read) until it has been idle for `idleMs`.
 */
export interface LedgerEntry extends ParticipantState {
  history: LogHistory;
}

/** One event's ledger: its participants' entries, and how many logs they hold in all. */
export class Ledger {
  readonly #entries = new Map<string, LedgerEntry>();
  #logs = 0;

  get size(): number {
    return this.#entries.size;
  }

  get logCount(): number {
    return this.#logs;
  }

  get(participantId: string): LedgerEntry | undefined {
    return this.#entries.get(participantId);
  }

  set(participantId: string, entry: LedgerEntry): void {
    this.delete(participantId);
    this.#entries.set(participantId, entry);
    this.#logs += entry.history.ordered.length;
  }

  delete(participantId: string): void {
    const old = this.#entries.get(participantId);
    if (!old) return;
    this.#logs -= old.history.ordered.length;
    this.#entries.delete(participantId);
  }

  /** A participant's row and history as a write just committed them, if the participant is held here. */
  update(participantId: string, state: ParticipantState, history: LogHistory): void {
    if (this.#entries.has(participantId)) this.set(participantId, { ...state, history });
  }
}

export interface EventLedgers {
  /** The event's ledger, loaded on first use; undefined when the event is too large to keep. */
  get(eventId: string): Promise<Ledger | undefined>;
}

/**
 * Replaces the entries of the snapshot's participants (and drops those asked for but gone). The
 * entries take over the snapshot's histories.
 */
export function refreshLedger(ledger: Ledger, asked: Iterable<string>, snapshot: BatchSnapshot): void {
  for (const id of asked) ledger.delete(id);
  for (const [id, state] of snapshot.participants)
    ledger.set(id, {
      checkinStatus: state.checkinStatus,
      version: state.version,
      revision: state.revision,
      registrationStatus: state.registrationStatus,
      history: snapshot.logs.get(id) ?? { ordered: [] },
    });
}

/**
 * The snapshot a group would have read, from the ledger; undefined unless it holds every
 * participant. It shares the entries and their histories: read them, don't change them.
 *
 * It names no mutation id as applied before: looking each one up among its participant's logs was
 * a good share of a group's CPU (histories grow with every check-in and undo, and the lookup ran for
 * every mutation), while a resent mutation is rare — a lost acknowledgement. When one comes, the write statement inserts fewer
 * logs than it expects, aborts, and the group is decided again from a read, which finds it.
 */
export function snapshotFromLedger(ledger: Ledger, participantIds: string[]): BatchSnapshot | undefined {
  const participants = new Map<string, ParticipantState>();
  const logs = new Map<string, LogHistory>();
  for (const id of participantIds) {
    const entry = ledger.get(id);
    if (!entry) return undefined;
    participants.set(id, entry);
    logs.set(id, entry.history);
  }
  return { participants, logs, applied: new Map() };
}

export function createEventLedgers(options: {
  load: (eventId: string) => Promise<BatchSnapshot>;
  /** Participants kept in all events together. */
  maxParticipants?: number;
  /** Logs kept in all events together (a log is about 150 bytes here). */
  maxLogs?: number;
  idleMs?: number;
}): EventLedgers {
  const { load, maxParticipants = 200_000, maxLogs = 1_000_000, idleMs = 10 * 60_000 } = options;
  const tooLarge = (ledger: Ledger) => ledger.size > maxParticipants || ledger.logCount > maxLogs;
  const events = new Map<string, { ledger: Ledger | undefined; usedAt: number }>();
  const loading = new Map<string, Promise<Ledger | undefined>>();

  function evict(now: number): void {
    for (const [id, e] of events) if (now - e.usedAt > idleMs) events.delete(id);
    let participants = 0;
    let logs = 0;
    for (const e of events.values()) {
      participants += e.ledger?.size ?? 0;
      logs += e.ledger?.logCount ?? 0;
    }
    // Least recently used first (Map keeps insertion order; `get` re-inserts on use).
    for (const [id, e] of events) {
      if (participants <= maxParticipants && logs <= maxLogs) break;
      participants -= e.ledger?.size ?? 0;
      logs -= e.ledger?.logCount ?? 0;
      events.delete(id);
    }
  }

  async function loadLedger(eventId: string): Promise<Ledger | undefined> {
    const ledger = new Ledger();
    refreshLedger(ledger, [], await load(eventId));
    return tooLarge(ledger) ? undefined : ledger;
  }

  return {
    async get(eventId) {
      const now = performance.now();
      const known = events.get(eventId);
      if (known) {
        events.delete(eventId);
        // Grown past the bound since it was loaded: not kept (its groups read) until idle.
        const ledger = known.ledger && tooLarge(known.ledger) ? undefined : known.ledger;
        events.set(eventId, { ledger, usedAt: ledger ? now : known.usedAt });
        if (ledger) evict(now);
        return ledger;
      }
      let pending = loading.get(eventId);
      if (!pending) {
        pending = loadLedger(eventId).finally(() => loading.delete(eventId));
        loading.set(eventId, pending);
      }
      const ledger = await pending;
      if (!events.has(eventId)) {
        events.set(eventId, { ledger, usedAt: performance.now() });
        evict(performance.now());
      }
      return events.get(eventId)?.ledger;
    },
  };
}
