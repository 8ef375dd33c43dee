import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { CheckinSession } from '../checkin-session.ts';
import { Connectivity } from '../connectivity.ts';
import { MemoryCheckinStorage } from '../memory-storage.ts';
import { FakeCheckinServer } from './fake-network.ts';
import { flushMicrotasks, ManualClock } from './manual-clock.ts';

/**
 * One device's check-in session against a fake server holding `participants`, on a manual clock:
 * `open()` starts (or restarts) the session over the same storage, `settle()` lets a second of
 * timers and promises run.
 */
export function sessionWorld(eventId: string, participants: Participant[], defaultDeviceName: string) {
  const clock = new ManualClock();
  const server = new FakeCheckinServer();
  server.now = () => clock.now();
  for (const p of participants) server.addParticipant(p);
  const storage = new MemoryCheckinStorage();
  const connectivity = new Connectivity(undefined);
  connectivity.setBrowserOnline(true);
  const open = () =>
    CheckinSession.open({
      eventId,
      storage,
      transport: server,
      connectivity,
      clock,
      defaultDeviceName,
      random: () => 0.5,
    });
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await clock.advance(200);
      await flushMicrotasks();
    }
  };
  return { clock, server, storage, connectivity, open, settle };
}
