import { decidingLogs, orderLogs, resolveCheckinState } from '@eventmanager/domain/checkin/resolve';
import type { ChangesResponse, SyncRequest, SyncResponse } from '@eventmanager/domain/checkin/sync.schema';
import type { WalkInInput, WalkInResponse } from '@eventmanager/domain/checkin/walk-in.schema';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { type ChangesTransport, type SyncTransport, TransportError } from '../transport.ts';
import { makeParticipant } from './participants.ts';

type ServerLog = {
  id: string;
  participantId: string;
  action: 'check_in' | 'undo_check_in';
  timestamp: number;
};
type Change = ChangesResponse['changes'][number];

/**
 * A scripted server for the outbox and the session: `down` makes every request fail like a lost
 * connection; `status` answers with that HTTP status; otherwise it applies each mutation id at most
 * once and resolves states with the domain rule, like the real one, keeping a dense change feed.
 */
export class FakeCheckinServer implements SyncTransport, ChangesTransport {
  down = false;
  status = 200;
  /** Whether states carry the participant's logs (servers before that sent only the deciding time). */
  sendLogs = true;
  /** server clock − device clock, as the real server would measure it. */
  deviceOffsetMs = 0;
  now: () => number = () => Date.now();
  readonly requests: SyncRequest[] = [];
  readonly changeRequests: (number | null)[] = [];
  readonly participants = new Map<string, Participant>();
  readonly logs: ServerLog[] = [];
  readonly feed: Change[] = [];
  private readonly seen = new Set<string>();

  addParticipant(p: Participant): void {
    this.participants.set(p.id, structuredClone(p));
  }

  /** Another device's action arriving at the server (action time on the server clock). */
  applyRemote(
    id: string,
    participantId: string,
    action: ServerLog['action'],
    timestamp: number,
    deviceId = 'dev-other',
  ) {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.logs.push({ id, participantId, action, timestamp });
    this.recompute(participantId, deviceId);
  }

  async sync(_eventId: string, body: SyncRequest): Promise<SyncResponse> {
    this.requests.push(structuredClone(body));
    if (this.down) throw new TransportError(0, 'network down');
    if (this.status !== 200) throw new TransportError(this.status, `HTTP ${this.status}`);
    const results = body.mutations.map((m) => {
      const target = this.participants.get(m.participant_id);
      if (target && target.registration.status !== 'registered' && !this.seen.has(m.id)) {
        // The real server's rule: nobody without a seat is checked in or undone.
        return {
          id: m.id,
          applied: false,
          duplicate: false,
          state: this.stateOf(target),
          reason: 'not_admitted' as const,
          registration_status: target.registration.status,
        };
      }
      const duplicate = this.seen.has(m.id);
      const local = typeof m.local_timestamp === 'number' ? m.local_timestamp : Date.parse(m.local_timestamp);
      if (!duplicate && this.participants.has(m.participant_id)) {
        this.applyRemote(m.id, m.participant_id, m.type, local + this.deviceOffsetMs, body.device.id);
      }
      const known = this.participants.get(m.participant_id);
      if (!known) this.seen.add(m.id);
      const state = known ? this.stateOf(known) : null;
      const resolution = resolveCheckinState(this.logs.filter((l) => l.participantId === m.participant_id));
      const conflict = resolution.conflicts.some((c) => c.loser.id === m.id);
      return { id: m.id, applied: !duplicate && Boolean(known), duplicate, state, conflict };
    });
    return {
      server_time: new Date(this.now()).toISOString(),
      results,
      cursor: this.feed.length,
      clock_offset_ms: this.deviceOffsetMs,
    };
  }

  /** POST /walk-ins: registers under the device's id (once), then checks in like /sync. */
  async walkIn(eventId: string, body: WalkInInput): Promise<WalkInResponse> {
    if (this.down) throw new TransportError(0, 'network down');
    if (this.walkInRefusal) throw new TransportError(409, 'taken', this.walkInRefusal);
    const created = !this.participants.has(body.participant_id);
    if (created) {
      const number = this.participants.size + 1;
      const { ticket_code: _ticket, ...p } = makeParticipant(eventId, number, body.identity.name);
      this.participants.set(body.participant_id, { ...p, id: body.participant_id });
    }
    const sync = await this.sync(eventId, {
      device: body.device,
      mutations: [
        {
          id: body.mutation_id,
          type: 'check_in',
          participant_id: body.participant_id,
          local_timestamp: body.local_timestamp,
        },
      ],
    });
    const participant = this.participants.get(body.participant_id)!;
    return {
      participant: {
        ...structuredClone(participant),
        ticket_code: `TICKET-${participant.registration.number}`,
      },
      created,
      sync,
    };
  }

  /** When set, walk-ins are refused with this problem code (409). */
  walkInRefusal: string | null = null;

  async changes(_eventId: string, since: number | null): Promise<ChangesResponse> {
    this.changeRequests.push(since);
    if (this.down) throw new TransportError(0, 'network down');
    const base = {
      server_time: new Date(this.now()).toISOString(),
      has_more: false,
      cursor: this.feed.length,
    };
    if (since === null)
      return {
        ...base,
        changes: [],
        snapshot: [...this.participants.values()].map((p) => ({
          ...structuredClone(p),
          ...(this.sendLogs ? { checkin_logs: this.logStamps(p.id) } : {}),
        })),
      };
    return { ...base, changes: this.feed.filter((c) => c.cursor > since).map((c) => structuredClone(c)) };
  }

  /** Every mutation id the server has answered for (applied or rejected), each once. */
  get answeredIds(): ReadonlySet<string> {
    return this.seen;
  }

  get sentIds(): string[] {
    return this.requests.flatMap((r) => r.mutations.map((m) => m.id));
  }

  private logStamps(participantId: string) {
    return decidingLogs(orderLogs(this.logs.filter((l) => l.participantId === participantId))).map((l) => ({
      id: l.id,
      action: l.action,
      at: l.timestamp,
    }));
  }

  private stateOf(p: Participant) {
    return {
      participant_id: p.id,
      status: p.checkin.status,
      timestamp: p.checkin.timestamp ?? null,
      checked_by: null,
      device_id: p.checkin.device_id ?? null,
      version: p.version,
      ...(this.sendLogs ? { logs: this.logStamps(p.id) } : {}),
    };
  }

  private recompute(participantId: string, deviceId: string): void {
    const p = this.participants.get(participantId);
    if (!p) return;
    const resolution = resolveCheckinState(this.logs.filter((l) => l.participantId === participantId));
    const winner = resolution.winner;
    p.checkin = {
      status: resolution.status,
      timestamp: winner ? new Date(winner.timestamp).toISOString() : null,
      device_id: deviceId,
    };
    p.version++;
    this.feed.push({
      cursor: this.feed.length + 1,
      kind: 'checkin',
      participant_id: p.id,
      at: new Date(this.now()).toISOString(),
      checkin: this.stateOf(p),
    });
  }
}
