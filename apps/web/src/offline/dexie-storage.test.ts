import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DexieCheckinStorage } from './dexie-storage.ts';
import { makeParticipant } from './testing/participants.ts';
import { participantToRecord } from './wire-mapping.ts';

const EVENT = '00000000-0000-4000-8000-0000000000e2';

describe('DexieCheckinStorage (IndexedDB)', () => {
  it('keeps the snapshot, the logs and the outbox across a reopen, oldest entry first', async () => {
    const indexedDB = new IDBFactory();
    const open = () => new DexieCheckinStorage('test-db', { indexedDB, IDBKeyRange });
    const a = open();
    await a.putDevice({ id: 'dev-1', name: '김사라의 iPhone' });
    const people = [1, 2, 3].map((n) => participantToRecord(makeParticipant(EVENT, n)));
    await a.replaceSnapshot(EVENT, people, {
      eventId: EVENT,
      cursor: 7,
      clockOffsetMs: 120,
      snapshotLoadedAt: 1,
    });
    for (const [i, p] of people.entries()) {
      const id = `00000000-0000-4000-9000-00000000000${i}`;
      await a.recordLocalAction(
        {
          id,
          eventId: EVENT,
          participantId: p.id,
          action: 'check_in',
          timestamp: 100 - i,
          localTimestamp: 100 - i,
          deviceId: 'dev-1',
          deviceName: 'x',
          synced: false,
        },
        {
          id,
          eventId: EVENT,
          type: 'check_in',
          payload: { participant_id: p.id, local_timestamp: 'x' },
          retry_count: 0,
          created_at: 100 - i,
        },
      );
    }
    a.db.close();

    const b = open();
    expect(await b.getDevice()).toEqual({ id: 'dev-1', name: '김사라의 iPhone' });
    expect((await b.getEventMeta(EVENT))?.cursor).toBe(7);
    expect((await b.listParticipants(EVENT)).map((p) => p.ticketCode).sort()).toEqual([
      'TICKET-1',
      'TICKET-2',
      'TICKET-3',
    ]);
    const queue = await b.listQueue(EVENT, 10);
    expect(queue.map((e) => e.created_at)).toEqual([98, 99, 100]);
    await b.incrementRetry([queue[0]?.id ?? '']);
    await b.removeFromQueue([queue[2]?.id ?? '']);
    await b.markLogsSynced([queue[2]?.id ?? '']);
    expect(await b.countQueue(EVENT)).toBe(2);
    expect((await b.queuedIds(EVENT)).sort()).toEqual([queue[0]?.id, queue[1]?.id].sort());
    expect((await b.listQueue(EVENT, 10))[0]?.retry_count).toBe(1);
    expect((await b.listLogs(EVENT)).filter((l) => l.synced)).toHaveLength(1);
    // A new snapshot replaces the participants but keeps this device's logs and queue.
    await b.replaceSnapshot(EVENT, people.slice(0, 1), {
      eventId: EVENT,
      cursor: 9,
      clockOffsetMs: 0,
      snapshotLoadedAt: 2,
    });
    expect(await b.listParticipants(EVENT)).toHaveLength(1);
    expect(await b.listLogs(EVENT)).toHaveLength(3);
    expect(await b.countQueue(EVENT)).toBe(2);
  });
});
