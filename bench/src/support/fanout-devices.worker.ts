/**
 * A share of the fan-out benchmark's devices in their own thread: 500 phones are 500 CPUs, and one
 * load-generator thread decoding every frame for all of them would measure its own queue, not the
 * server. Records, per participant, how many devices received its `checkin_updated` and when the
 * last one did (wall clock, comparable across threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSockets, wallNow } from './ws-devices.ts';

interface Setup {
  bases: string[];
  token: string;
  eventId: string;
  count: number;
  firstIndex: number;
}

const { bases, token, eventId, count, firstIndex } = workerData as Setup;
const receipts = new Map<string, { count: number; last: number }>();
const participantRe = /"participantId":"([^"]+)"/;
const sockets = await openSockets(
  bases,
  token,
  eventId,
  count,
  (raw) => {
    if (!raw.startsWith('{"type":"checkin_updated"')) return;
    const participant = participantRe.exec(raw)?.[1] ?? '';
    const now = wallNow();
    const r = receipts.get(participant);
    if (r) {
      r.count++;
      r.last = now;
    } else receipts.set(participant, { count: 1, last: now });
  },
  firstIndex,
);

parentPort!.on('message', (command: 'reset' | 'report' | 'close') => {
  if (command === 'reset') {
    receipts.clear();
    parentPort!.postMessage({ type: 'reset' });
  } else if (command === 'report') {
    parentPort!.postMessage({ type: 'report', receipts: [...receipts] });
  } else {
    for (const ws of sockets) ws.terminate();
    parentPort!.close();
  }
});
parentPort!.postMessage({ type: 'ready' });
