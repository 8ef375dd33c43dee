import { describe, expect, it } from 'vitest';
import { CheckinSession } from './checkin-session.ts';
import type { SocketLike } from './realtime-client.ts';
import { makeParticipant } from './testing/participants.ts';
import { sessionWorld } from './testing/session-world.ts';

const EVENT = '00000000-0000-4000-8000-0000000000e1';
const pid = (n: number) => makeParticipant(EVENT, n).id;

function world(count = 10) {
  const people = Array.from({ length: count }, (_, k) =>
    makeParticipant(EVENT, k + 1, k === 0 ? '홍길동' : undefined),
  );
  return sessionWorld(EVENT, people, 'Phone A');
}

describe('CheckinSession', () => {
  it('loads the snapshot, shows a tap at once, then syncs it', async () => {
    const w = world();
    const s = await CheckinSession.open({
      eventId: EVENT,
      storage: w.storage,
      transport: w.server,
      connectivity: w.connectivity,
      clock: w.clock,
      defaultDeviceName: 'Phone A',
    });
    await s.catchUp();
    expect(s.counters).toEqual({ checkedIn: 0, registered: 10, total: 10 });
    expect(s.findByTicketCode('TICKET-3')?.id).toBe(pid(3));

    s.checkIn(pid(3));
    // Synchronously, before any storage or network work.
    expect(s.statusOf(pid(3))).toBe('checked_in');
    expect(s.counters.checkedIn).toBe(1);
    expect(s.isPending(pid(3))).toBe(true);
    expect(s.activity[0]).toMatchObject({
      participantId: pid(3),
      action: 'check_in',
      own: true,
      deviceName: 'Phone A',
    });

    await w.settle();
    expect(w.server.participants.get(pid(3))?.checkin.status).toBe('checked_in');
    expect(s.isPending(pid(3))).toBe(false);
    expect(s.statusOf(pid(3))).toBe('checked_in');
    expect(s.sync.pending).toBe(0);
    expect(w.server.requests[0]?.device).toEqual({ id: s.device.id, name: 'Phone A' });
  });

  it('keeps offline check-ins across a reload and sends them when back online', async () => {
    const w = world();
    const first = await w.open();
    await first.catchUp();
    w.connectivity.setBrowserOnline(false);
    for (let n = 1; n <= 5; n++) first.checkIn(pid(n));
    await w.settle();
    expect(w.server.requests).toHaveLength(0);
    await first.dispose();

    // "Reload": a new session over the same storage, still offline.
    const second = await w.open();
    expect(second.device.id).toBe(first.device.id);
    for (let n = 1; n <= 5; n++) expect(second.statusOf(pid(n))).toBe('checked_in');
    expect(second.counters.checkedIn).toBe(5);
    expect(second.sync.pending).toBe(5);

    w.connectivity.setBrowserOnline(true);
    await w.settle();
    expect(w.server.answeredIds.size).toBe(5);
    expect(second.sync.pending).toBe(0);
    for (let n = 1; n <= 5; n++) expect(w.server.participants.get(pid(n))?.checkin.status).toBe('checked_in');
  });

  it('an offline check-in undone later on another device ends undone and raises a conflict notice', async () => {
    const w = world();
    const s = await w.open();
    await s.catchUp();
    w.connectivity.setBrowserOnline(false);
    s.checkIn(pid(1));
    s.checkIn(pid(2));
    // Device B, online: checks 홍길동 in, then undoes it 6 s later (more than 5 s after A's tap).
    await w.clock.advance(1_000);
    w.server.applyRemote('b-1', pid(1), 'check_in', w.clock.now(), 'dev-b');
    await w.clock.advance(6_000);
    w.server.applyRemote('b-2', pid(1), 'undo_check_in', w.clock.now(), 'dev-b');
    expect(s.statusOf(pid(1))).toBe('checked_in');

    w.connectivity.setBrowserOnline(true);
    await w.settle();
    expect(s.statusOf(pid(1))).toBe('not_checked_in');
    expect(s.statusOf(pid(2))).toBe('checked_in');
    expect(w.server.participants.get(pid(1))?.checkin.status).toBe('not_checked_in');
    expect(s.conflicts.map((c) => c.participantName)).toEqual(['홍길동']);
  });

  it('a pending tap older than the server’s newest log shows what the server will decide', async () => {
    const w = world();
    const s = await w.open();
    await s.catchUp();
    w.server.down = true;
    const tap = w.clock.now();
    s.checkIn(pid(4));
    // Meanwhile, on other devices: check-in 2 s after this tap, undone 6 s later (the undo stands).
    w.server.applyRemote('x-1', pid(4), 'check_in', tap + 2_000, 'dev-b');
    w.server.applyRemote('x-2', pid(4), 'undo_check_in', tap + 8_000, 'dev-b');
    const change = w.server.feed.at(-1)!;
    s.handleMessage({
      type: 'checkin_updated',
      eventId: EVENT,
      participantId: pid(4),
      status: change.checkin.status,
      version: change.checkin.version,
      cursor: change.cursor,
      timestamp: change.checkin.timestamp,
      deviceId: 'dev-b',
      ...(change.checkin.logs ? { logs: change.checkin.logs } : {}),
    });
    // The tap folds into the server's logs: it comes first, so the undo 8 s after it still decides.
    expect(s.isPending(pid(4))).toBe(true);
    expect(s.statusOf(pid(4))).toBe('not_checked_in');
    w.server.down = false;
    await w.settle();
    expect(s.isPending(pid(4))).toBe(false);
    expect(w.server.participants.get(pid(4))?.checkin.status).toBe('not_checked_in');
    expect(s.statusOf(pid(4))).toBe('not_checked_in');
  });

  it('a server of another protocol version asks for a reload', async () => {
    const w = world();
    const sockets: SocketLike[] = [];
    const s = await CheckinSession.open({
      eventId: EVENT,
      storage: w.storage,
      transport: w.server,
      connectivity: w.connectivity,
      clock: w.clock,
      defaultDeviceName: 'Phone A',
      realtime: {
        url: 'ws://test/realtime',
        getToken: () => 'token',
        createSocket: () => {
          const socket: SocketLike = {
            send: () => {},
            close: () => {},
            onopen: null,
            onmessage: null,
            onclose: null,
            onerror: null,
          };
          sockets.push(socket);
          return socket;
        },
      },
    });
    expect(s.protocolMismatch).toBeNull();
    const socket = sockets[0]!;
    socket.onopen?.(new Event('open'));
    socket.onmessage?.(
      new MessageEvent('message', {
        data: JSON.stringify({
          type: 'auth_ok',
          userId: '00000000-0000-4000-8000-0000000000ff',
          protocolVersion: 99,
          server_time: w.clock.now(),
        }),
      }),
    );
    expect(s.protocolMismatch).toBe(99);
    expect(s.connection).toBe('stopped');
  });

  it('a jump in the live cursor triggers a catch-up that fills the gap', async () => {
    const w = world();
    const s = await w.open();
    await s.catchUp();
    const base = s.cursor ?? 0;
    w.server.applyRemote('r-1', pid(4), 'check_in', w.clock.now(), 'dev-b');
    w.server.applyRemote('r-2', pid(5), 'check_in', w.clock.now(), 'dev-b');
    const last = w.server.feed.at(-1);
    if (!last) throw new Error('no feed');
    // Only the second message arrives (cursor base+2): base+1 was missed.
    s.handleMessage({
      type: 'checkin_updated',
      eventId: EVENT,
      participantId: pid(5),
      status: 'checked_in',
      version: last.checkin.version,
      cursor: last.cursor,
      deviceId: 'dev-b',
    });
    expect(s.statusOf(pid(5))).toBe('checked_in');
    await w.settle();
    expect(w.server.changeRequests).toContain(base);
    expect(s.statusOf(pid(4))).toBe('checked_in');
    expect(s.cursor).toBe(base + 2);
    expect(s.activity[0]).toMatchObject({ participantId: pid(5), own: false, deviceId: 'dev-b' });
  });

  it('the next live cursor advances without a request; stale versions are ignored', async () => {
    const w = world();
    const s = await w.open();
    await s.catchUp();
    const base = s.cursor ?? 0;
    const requests = w.server.changeRequests.length;
    s.handleMessage({
      type: 'checkin_updated',
      eventId: EVENT,
      participantId: pid(6),
      status: 'checked_in',
      version: 5,
      cursor: base + 1,
    });
    s.handleMessage({
      type: 'checkin_updated',
      eventId: EVENT,
      participantId: pid(6),
      status: 'not_checked_in',
      version: 4,
      cursor: base + 1,
    });
    await w.settle();
    expect(s.cursor).toBe(base + 1);
    expect(s.statusOf(pid(6))).toBe('checked_in');
    expect(w.server.changeRequests.length).toBe(requests);
  });

  it('sync_conflict from the server names the participant and the winning device', async () => {
    const w = world();
    const s = await w.open();
    await s.catchUp();
    s.handleMessage({
      type: 'sync_conflict',
      conflictId: '20000000-0000-4000-8000-000000000001',
      details: {
        eventId: EVENT,
        participantId: pid(1),
        winningAction: 'check_in',
        losingAction: 'undo_check_in',
        winningDeviceId: 'dev-b',
        winningDeviceName: '이민수의 Galaxy',
        losingMutationId: 'm',
        status: 'checked_in',
        version: 3,
        reason: { ko: '', en: '' },
      },
    });
    expect(s.conflicts[0]).toMatchObject({
      participantName: '홍길동',
      byDeviceName: '이민수의 Galaxy',
      status: 'checked_in',
    });
    s.dismissConflict(s.conflicts[0]?.id ?? '');
    expect(s.conflicts).toHaveLength(0);
  });

  it('undo within 5 s of a check-in loses, exactly as on the server', async () => {
    const w = world();
    const s = await w.open();
    await s.catchUp();
    s.checkIn(pid(7));
    await w.clock.advance(2_000);
    s.undoCheckIn(pid(7));
    expect(s.statusOf(pid(7))).toBe('checked_in');
    await w.clock.advance(6_000);
    s.undoCheckIn(pid(7));
    expect(s.statusOf(pid(7))).toBe('not_checked_in');
    await w.settle();
    expect(w.server.participants.get(pid(7))?.checkin.status).toBe('not_checked_in');
    expect(s.statusOf(pid(7))).toBe('not_checked_in');
  });

  it('reloadSnapshot finds a ticket registered after the first snapshot and keeps pending taps', async () => {
    const w = world(3);
    const s = await w.open();
    await s.catchUp();
    w.connectivity.setBrowserOnline(false);
    s.checkIn(pid(2));
    w.connectivity.setBrowserOnline(true);
    w.server.down = true;
    w.server.addParticipant(makeParticipant(EVENT, 4, '늦은 참가자'));
    expect(s.findByTicketCode('TICKET-4')).toBeUndefined();
    w.server.down = false;
    await s.reloadSnapshot();
    expect(s.findByTicketCode('TICKET-4')?.name).toBe('늦은 참가자');
    expect(s.counters.total).toBe(4);
    expect(s.statusOf(pid(2))).toBe('checked_in');
  });
});
