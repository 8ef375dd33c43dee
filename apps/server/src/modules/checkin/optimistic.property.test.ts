import { optimisticCheckinStatus } from '@eventmanager/domain/checkin/optimistic';
import { checkinStateSchema } from '@eventmanager/domain/checkin/sync.schema';
import type { CheckinStatus } from '@eventmanager/domain/participants/participant.schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateFrom, toCheckinState } from './checkin.mapper.ts';
import type { ResolveLog } from './checkin.repository.ts';
import { decide, type LogHistory } from './log-history.ts';

/**
 * The phone shows what the server will decide: a device holding the state the server sent (as the
 * wire carries it) and its own pending logs computes the status the server stores once those logs
 * arrive — whatever the server's history, however it arrived in batches, and whether or not some
 * pending logs already reached the server (a lost acknowledgement).
 */

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const PID = '5b0c6a4e-1f1e-4c1e-9c1a-000000000001';
const USER = '5b0c6a4e-1f1e-4c1e-9c1a-0000000000aa';

const log = (id: string, action: ResolveLog['action'], at: number): ResolveLog => ({
  id,
  participantId: PID,
  action,
  timestamp: at,
  deviceId: 'd',
  deviceName: 'd',
  userId: USER,
});

interface Server {
  status: CheckinStatus;
  history: LogHistory;
  version: number;
}

/** The server receiving one batch, as a sync group decides it. */
function receive(server: Server, batch: readonly ResolveLog[]): Server {
  const held = new Set(server.history.ordered.map((l) => l.id));
  const added = batch.filter((l) => !held.has(l.id));
  const { history, status } = decide(server.status, server.history, added);
  return { status, history, version: server.version + 1 };
}

/** What the server sends for the participant, through the wire schema (JSON and back). */
function wireState(server: Server) {
  const resolution = decide(server.status, server.history, []);
  const state = stateFrom(
    PID,
    server.status,
    resolution.after.winner,
    server.version,
    server.history.ordered,
  );
  return checkinStateSchema.parse(JSON.parse(JSON.stringify(toCheckinState(state))));
}

// Near-ties (4 999 / 5 000 / 5 001 ms), identical times and both actions: the rule's edges.
const timeArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: -2, max: 4 }), fc.constantFrom(-1, 0, 1))
    .map(([steps, nudge]) => T0 + steps * 5_000 + nudge),
  fc.integer({ min: -15_000, max: 25_000 }).map((d) => T0 + d),
);
const logArb = fc
  .tuple(
    fc.stringMatching(/^[a-f0-9]{1,4}$/),
    fc.constantFrom('check_in' as const, 'undo_check_in' as const),
    timeArb,
  )
  .map(([id, action, at]) => log(id, action, at));

describe('the phone shows what the server will decide', () => {
  it('holds for random server histories and random pending logs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(logArb, { selector: (l) => l.id, maxLength: 14 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom<CheckinStatus>('not_checked_in', 'no_show'),
        (logs, serverCount, acked, cuts, initial) => {
          // The first `serverCount` logs reached the server (in batches); the rest are pending on
          // the phone, with some of the server's logs still pending there too (acks lost).
          const n = logs.length ? serverCount % (logs.length + 1) : 0;
          const onServer = logs.slice(0, n);
          const pending = [...logs.slice(n), ...onServer.slice(0, n ? acked % (n + 1) : 0)];
          let server: Server = { status: initial, history: { ordered: [] }, version: 0 };
          const points = [...new Set(cuts.map((c) => c % (n + 1)))].sort((a, b) => a - b);
          let start = 0;
          for (const p of [...points, n]) {
            server = receive(server, onServer.slice(start, p));
            start = p;
          }
          const phone = optimisticCheckinStatus(
            wireState(server),
            pending.map((l) => ({ id: l.id, action: l.action, timestamp: l.timestamp })),
          );
          expect(phone).toBe(receive(server, pending).status);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('the case a phone got wrong: check-in @0 s, undo @6 s on the server, a pending check-in @−2 s', () => {
    let server: Server = { status: 'not_checked_in', history: { ordered: [] }, version: 0 };
    server = receive(server, [log('a', 'check_in', T0), log('b', 'undo_check_in', T0 + 6_000)]);
    expect(server.status).toBe('not_checked_in');
    const pending = [{ id: 'c', action: 'check_in' as const, timestamp: T0 - 2_000 }];
    const wire = wireState(server);
    expect(wire.logs).toEqual([
      { id: 'a', action: 'check_in', at: T0 },
      { id: 'b', action: 'undo_check_in', at: T0 + 6_000 },
    ]);
    expect(receive(server, [log('c', 'check_in', T0 - 2_000)]).status).toBe('not_checked_in');
    expect(optimisticCheckinStatus(wire, pending)).toBe('not_checked_in');
    // Folding the pending log over the deciding log alone (no logs sent) shows checked_in.
    const { logs: _dropped, ...withoutLogs } = wire;
    expect(optimisticCheckinStatus(withoutLogs, pending)).toBe('checked_in');
  });
});
