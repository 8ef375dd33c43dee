import { describe, expect, it } from 'vitest';
import type { BatchSnapshot, ResolveLog } from './checkin.repository.ts';
import { createEventLedgers, Ledger, refreshLedger, snapshotFromLedger } from './event-ledger.ts';
import { extendHistory, historyOf } from './log-history.ts';

const log = (id: string, participantId: string, timestamp = 0): ResolveLog => ({
  id,
  participantId,
  action: 'check_in',
  timestamp,
  deviceId: 'd',
  deviceName: 'D',
  userId: null,
});

function snapshot(participants: string[], logs: ResolveLog[] = []): BatchSnapshot {
  return {
    participants: new Map(
      participants.map((id) => [
        id,
        {
          checkinStatus: 'not_checked_in',
          version: 1,
          revision: `r-${id}`,
          registrationStatus: 'registered',
        },
      ]),
    ),
    logs: new Map([...Map.groupBy(logs, (l) => l.participantId)].map(([id, list]) => [id, historyOf(list)])),
    applied: new Map(),
  };
}

describe('event ledger', () => {
  it('answers a group from memory only when it holds every participant', () => {
    const ledger = new Ledger();
    refreshLedger(ledger, [], snapshot(['p1', 'p2'], [log('m1', 'p1'), log('m2', 'p2')]));
    const view = snapshotFromLedger(ledger, ['p1', 'p2']);
    expect([...view!.participants.keys()]).toEqual(['p1', 'p2']);
    expect(view!.participants.get('p1')!.revision).toBe('r-p1');
    expect([...view!.logs.values()].flatMap((h) => h.ordered.map((l) => l.id))).toEqual(['m1', 'm2']);
    // Ids applied before are left to the write, which aborts on one (and the group reads).
    expect(view!.applied.size).toBe(0);
    // Someone it does not hold (registered since, or not in the event): the group reads instead.
    expect(snapshotFromLedger(ledger, ['p1', 'p3'])).toBeUndefined();
  });

  it('a refresh replaces the asked participants and drops those that are gone', () => {
    const ledger = new Ledger();
    refreshLedger(ledger, [], snapshot(['p1', 'p2'], [log('m1', 'p1')]));
    const read = snapshot(['p1'], [log('m9', 'p1', 1), log('m1', 'p1')]);
    read.participants.get('p1')!.revision = 'r-new';
    refreshLedger(ledger, ['p1', 'p2'], read);
    expect(ledger.get('p1')!.revision).toBe('r-new');
    // Held in the resolver's order whatever order they were read in.
    expect(ledger.get('p1')!.history.ordered.map((l) => l.id)).toEqual(['m1', 'm9']);
    expect(ledger.get('p2')).toBeUndefined();
    expect(ledger.logCount).toBe(2);
  });

  it('loads an event once even when asked concurrently, and keeps within its bound', async () => {
    const loads: string[] = [];
    const ledgers = createEventLedgers({
      load: async (eventId) => {
        loads.push(eventId);
        await new Promise((r) => setTimeout(r, 5));
        return snapshot(eventId === 'big' ? ['a', 'b', 'c', 'd'] : [`${eventId}-1`, `${eventId}-2`]);
      },
      maxParticipants: 3,
    });
    const [x, y] = await Promise.all([ledgers.get('e1'), ledgers.get('e1')]);
    expect(x).toBe(y);
    expect(loads).toEqual(['e1']);
    // Too large alone: not kept, groups read.
    expect(await ledgers.get('big')).toBeUndefined();
    // A second event pushes the least recently used one out (2 + 2 > 3).
    await ledgers.get('e2');
    await ledgers.get('e1');
    expect(loads).toEqual(['e1', 'big', 'e2', 'e1']);
  });

  it('an event whose logs grow past the bound is no longer kept (its groups read)', async () => {
    const ledgers = createEventLedgers({ load: async () => snapshot(['p1'], [log('m1', 'p1')]), maxLogs: 3 });
    const ledger = (await ledgers.get('e'))!;
    const grow = (...logs: ResolveLog[]) => {
      const entry = ledger.get('p1')!;
      ledger.update('p1', entry, extendHistory(entry.history, logs));
    };
    grow(log('m2', 'p1', 1), log('m3', 'p1', 2));
    expect(await ledgers.get('e')).toBe(ledger);
    grow(log('m4', 'p1', 3));
    expect(ledger.logCount).toBe(4);
    expect(await ledgers.get('e')).toBeUndefined();
  });
});

describe('a participant’s log history', () => {
  const at = (id: string, timestamp: number, action: ResolveLog['action'] = 'check_in'): ResolveLog => ({
    ...log(id, 'p', timestamp),
    action,
  });

  it('continues its fold with later logs and refolds when one goes back in time, same state either way', () => {
    const h0 = historyOf([at('a', 0), at('b', 10_000, 'undo_check_in')]);
    const later = extendHistory(h0, [at('c', 20_000)]);
    expect(later.ordered.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(later.fold?.winner?.id).toBe('c');
    // An undo 2 s before c, arriving late: c's check-in still wins the < 5 s contest.
    const late = extendHistory(later, [at('d', 18_000, 'undo_check_in')]);
    expect(late.ordered.map((l) => l.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(late.fold?.winner?.id).toBe('c');
    expect(late.fold?.contests.map((c) => c.loser.id)).toEqual(['d']);
    // The history it came from is left as it was (the ledger shares it until the write commits).
    expect(later.ordered.map((l) => l.id)).toEqual(['a', 'b', 'c']);
  });
});
