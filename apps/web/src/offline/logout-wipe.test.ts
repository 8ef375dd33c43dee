import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Connectivity } from './connectivity.ts';
import { DexieCheckinStorage } from './dexie-storage.ts';
import { flushThenWipe } from './logout-wipe.ts';
import { FakeCheckinServer } from './testing/fake-network.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { makeParticipant } from './testing/participants.ts';
import { participantToRecord } from './wire-mapping.ts';

const EVENT = '00000000-0000-4000-8000-0000000000e3';
const DEVICE = { id: 'dev-1', name: '김사라의 iPhone' };

async function phoneWithQueuedCheckins(server: FakeCheckinServer, queued: number) {
  const storage = new DexieCheckinStorage('logout-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  await storage.putDevice(DEVICE);
  const people = [1, 2, 3].map((n) => makeParticipant(EVENT, n));
  for (const p of people) server.addParticipant(p);
  await storage.replaceSnapshot(
    EVENT,
    people.map((p) => participantToRecord(p)),
    {
      eventId: EVENT,
      cursor: 3,
      clockOffsetMs: 0,
      snapshotLoadedAt: 1,
    },
  );
  for (const [i, p] of people.slice(0, queued).entries()) {
    const id = `00000000-0000-4000-9000-00000000001${i}`;
    await storage.recordLocalAction(
      {
        id,
        eventId: EVENT,
        participantId: p.id,
        action: 'check_in',
        timestamp: 1_000 + i,
        localTimestamp: 1_000 + i,
        deviceId: DEVICE.id,
        deviceName: DEVICE.name,
        synced: false,
      },
      {
        id,
        eventId: EVENT,
        type: 'check_in',
        payload: { participant_id: p.id, local_timestamp: new Date(1_000 + i).toISOString() },
        created_at: 1_000 + i,
        retry_count: 0,
      },
    );
  }
  return storage;
}

const deps = (storage: DexieCheckinStorage, server: FakeCheckinServer) => ({
  storage,
  transport: server,
  connectivity: new Connectivity(undefined),
  clock: new ManualClock(),
  device: DEVICE,
});

describe('logout on a phone: flush, then wipe', () => {
  it('sends the queued check-ins first, then deletes every participant, log and event cache', async () => {
    const server = new FakeCheckinServer();
    const storage = await phoneWithQueuedCheckins(server, 2);
    const result = await flushThenWipe(deps(storage, server));
    expect(result).toEqual({ kind: 'wiped' });
    expect(server.requests.flatMap((r) => r.mutations.map((m) => m.participant_id))).toHaveLength(2);
    expect(await storage.listParticipants(EVENT)).toEqual([]);
    expect(await storage.listLogs(EVENT)).toEqual([]);
    expect(await storage.getEventMeta(EVENT)).toBeUndefined();
    expect(await storage.queuedEventIds()).toEqual([]);
    // The phone keeps its own id: it is not personal data.
    expect(await storage.getDevice()).toEqual(DEVICE);
  });

  it('with the server unreachable it deletes nothing and says how many are unsent; a retry then wipes', async () => {
    const server = new FakeCheckinServer();
    server.down = true;
    const storage = await phoneWithQueuedCheckins(server, 2);
    const result = await flushThenWipe(deps(storage, server));
    expect(result).toEqual({ kind: 'unsent', unsent: 2 });
    expect(await storage.listParticipants(EVENT)).toHaveLength(3);
    expect(await storage.countQueue(EVENT)).toBe(2);
    server.down = false;
    expect(await flushThenWipe(deps(storage, server))).toEqual({ kind: 'wiped' });
    expect(await storage.listParticipants(EVENT)).toEqual([]);
  });

  it('never wipes while something is queued, even if it was queued after the flush', async () => {
    const server = new FakeCheckinServer();
    const storage = await phoneWithQueuedCheckins(server, 1);
    expect(await storage.wipeIfNothingQueued()).toBe(false);
    expect(await storage.listParticipants(EVENT)).toHaveLength(3);
  });
});
