import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createMemoryBus } from '../../platform/bus/memory-bus.ts';
import { ManualClock } from '../../platform/clock.ts';
import { publishAccessRevocation } from './realtime.api.ts';
import { RealtimeGateway } from './realtime.gateway.ts';
import { RealtimeHub } from './realtime.hub.ts';

/** The part of a `ws` socket the gateway uses, recording what it sends and how it was closed. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  send(data: Buffer | string) {
    this.sent.push(JSON.parse(String(data)) as Record<string, unknown>);
  }
  close(code: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  frame(message: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RealtimeGateway', () => {
  it('an auth whose session check was answered before a revocation arrived does not keep the socket', async () => {
    const bus = createMemoryBus();
    let answer!: (v: { userId: string; sessionId: string; expiresAt: number }) => void;
    const gateway = new RealtimeGateway({
      hub: new RealtimeHub(bus),
      clock: new ManualClock(0),
      revocations: bus,
      // The session is live when checked; the answer is delivered only after the revocation.
      authenticate: () => new Promise((resolve) => (answer = resolve)),
      authorizeEvent: async () => {},
    });
    await gateway.start();
    const ws = new FakeSocket();
    gateway.accept(ws as unknown as WebSocket);
    ws.frame({ type: 'auth', token: 't' });
    await flush();
    await publishAccessRevocation(bus, { kind: 'sessions', sessionIds: ['s1'] });
    await flush();
    answer({ userId: '00000000-0000-4000-8000-000000000001', sessionId: 's1', expiresAt: 60_000 });
    await flush();
    expect(ws.closedWith).toBe(4401);
    expect(ws.sent.some((m) => m.type === 'auth_ok')).toBe(false);
    await gateway.close();
  });
});
