import { describe, expect, it } from 'vitest';
import { makeParticipant } from './testing/participants.ts';
import { sessionWorld } from './testing/session-world.ts';

const EVENT = '00000000-0000-4000-8000-0000000000e2';
const pid = (n: number) => makeParticipant(EVENT, n).id;

function world(count: number, statuses: Record<number, string> = {}) {
  const people = Array.from({ length: count }, (_, k) => {
    const p = makeParticipant(EVENT, k + 1);
    const status = statuses[k + 1];
    if (status) p.registration.status = status as typeof p.registration.status;
    return p;
  });
  return sessionWorld(EVENT, people, 'Linux · Chrome');
}

describe('CheckinSession at the door', () => {
  it('counts only admitted people, and never checks in someone who is not', async () => {
    const w = world(4, { 2: 'cancelled', 3: 'waitlist' });
    const s = await w.open();
    await s.catchUp();
    expect(s.counters).toMatchObject({ checkedIn: 0, registered: 2 });
    expect(s.isAdmitted(pid(2))).toBe(false);
    expect(s.checkIn(pid(2))).toBeNull();
    expect(s.statusOf(pid(2))).toBe('not_checked_in');
    s.checkIn(pid(1));
    expect(s.counters).toMatchObject({ checkedIn: 1, registered: 2 });
    await s.dispose();
  });

  it('a tap on a stale list is refused by the server: the device says so and shows the real status', async () => {
    const w = world(2);
    const s = await w.open();
    await s.catchUp();
    w.connectivity.setBrowserOnline(false);
    // Cancelled on the server while this device was offline.
    w.server.participants.get(pid(2))!.registration.status = 'cancelled';
    s.checkIn(pid(2));
    expect(s.counters.checkedIn).toBe(1);
    w.connectivity.setBrowserOnline(true);
    await w.settle();
    expect(s.sync.pending).toBe(0);
    expect(s.refusals).toEqual([
      expect.objectContaining({
        participantId: pid(2),
        kind: 'not_admitted',
        registrationStatus: 'cancelled',
      }),
    ]);
    expect(s.participant(pid(2))?.registrationStatus).toBe('cancelled');
    expect(s.statusOf(pid(2))).toBe('not_checked_in');
    expect(s.counters).toMatchObject({ checkedIn: 0, registered: 1 });
    // Not a conflict with another device.
    expect(s.conflicts).toEqual([]);
    await s.dispose();
  });

  it('a walk-in offline is checked in and counted at once, then registered once when online', async () => {
    const w = world(2);
    const s = await w.open();
    await s.catchUp();
    w.connectivity.setBrowserOnline(false);
    const record = s.walkIn({ name: '세종대왕', customResponses: {} });
    expect(s.statusOf(record.id)).toBe('checked_in');
    expect(s.counters).toMatchObject({ checkedIn: 1, registered: 3 });
    await w.settle();
    expect(s.sync.pending).toBe(1);
    // A reload while still offline keeps it.
    await s.dispose();
    const again = await w.open();
    expect(again.statusOf(record.id)).toBe('checked_in');
    w.connectivity.setBrowserOnline(true);
    await w.settle();
    expect(again.sync.pending).toBe(0);
    expect(w.server.participants.get(record.id)?.checkin.status).toBe('checked_in');
    expect(again.participant(record.id)?.registrationNumber).toBe(3);
    expect(again.counters).toMatchObject({ checkedIn: 1, registered: 3 });
    await again.dispose();
  });

  it('a walk-in the server refuses for good leaves the queue and the list, with a notice', async () => {
    const w = world(1);
    w.server.walkInRefusal = 'already_registered';
    const s = await w.open();
    await s.catchUp();
    const record = s.walkIn({ name: '홍길동', email: 'p1@example.com', customResponses: {} });
    await w.settle();
    expect(s.sync.pending).toBe(0);
    expect(s.participant(record.id)).toBeUndefined();
    expect(s.counters).toMatchObject({ checkedIn: 0, registered: 1 });
    expect(s.refusals[0]).toMatchObject({
      kind: 'walk_in_refused',
      code: 'already_registered',
      participantName: '홍길동',
    });
    await s.dispose();
  });

  it('asks for a device name until one is chosen', async () => {
    const w = world(1);
    const s = await w.open();
    expect(s.needsDeviceName).toBe(true);
    await s.renameDevice('입구 1 · 김사라');
    expect(s.needsDeviceName).toBe(false);
    await s.dispose();
    const again = await w.open();
    expect(again.needsDeviceName).toBe(false);
    expect(again.device.name).toBe('입구 1 · 김사라');
    await again.dispose();
  });

  it("an own double tap's conflict notice says this device", async () => {
    const w = world(1);
    const s = await w.open();
    await s.catchUp();
    w.connectivity.setBrowserOnline(false);
    s.checkIn(pid(1));
    await w.clock.advance(1_000);
    s.undoCheckIn(pid(1));
    w.connectivity.setBrowserOnline(true);
    await w.settle();
    expect(s.statusOf(pid(1))).toBe('checked_in');
    expect(s.conflicts[0]).toMatchObject({ participantId: pid(1), sameDevice: true, byDeviceName: null });
    await s.dispose();
  });
});
