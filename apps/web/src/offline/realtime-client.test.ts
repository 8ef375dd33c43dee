import { describe, expect, it } from 'vitest';
import { RealtimeClient, type RealtimeOptions, type SocketLike } from './realtime-client.ts';
import { ManualClock } from './testing/manual-clock.ts';

const EVENT_A = '00000000-0000-4000-8000-00000000000a';
const EVENT_B = '00000000-0000-4000-8000-00000000000b';
const USER = '00000000-0000-4000-8000-0000000000ff';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  readonly sent: Record<string, unknown>[] = [];
  closed: number | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000) {
    this.closed = code;
  }
  // Test-side actions: what the network / server does.
  open() {
    this.onopen?.(new Event('open'));
  }
  receive(message: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  drop(code = 1006) {
    this.onclose?.(new CloseEvent('close', { code }));
  }
  types() {
    return this.sent.map((m) => m.type);
  }
}

function setup(random = () => 0.5, options: Partial<RealtimeOptions> = {}) {
  const clock = new ManualClock();
  const sockets: FakeSocket[] = [];
  const log: string[] = [];
  const offsets: number[] = [];
  const cursors: Record<string, number>[] = [];
  const mismatches: number[] = [];
  const client = new RealtimeClient({
    url: 'ws://test/realtime',
    getToken: () => 'token-1',
    deviceId: 'dev-a',
    clock,
    random,
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onConnected: () => log.push('connected'),
    onDisconnected: () => log.push('disconnected'),
    onClockOffset: (offset) => offsets.push(offset),
    onCursors: (c) => cursors.push(c),
    onProtocolMismatch: (v) => mismatches.push(v),
    ...options,
  });
  const last = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  const authOk = () =>
    last().receive({ type: 'auth_ok', userId: USER, protocolVersion: 1, server_time: clock.now() });
  return { clock, sockets, log, offsets, cursors, mismatches, client, last, authOk };
}

describe('RealtimeClient', () => {
  it('stops and reports a server of another protocol version (reload), never reconnecting to it', async () => {
    const t = setup();
    t.client.subscribe(EVENT_A);
    t.client.start();
    t.last().open();
    t.last().receive({ type: 'auth_ok', userId: USER, protocolVersion: 2, server_time: t.clock.now() });
    expect(t.mismatches).toEqual([2]);
    expect(t.client.phase).toBe('stopped');
    expect(t.last().types()).toEqual(['auth']);
    expect(t.log).toEqual([]);
    await t.clock.advance(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it('authenticates first, then subscribes to every event', () => {
    const t = setup();
    t.client.subscribe(EVENT_A);
    t.client.subscribe(EVENT_B);
    t.client.start();
    t.last().open();
    expect(t.last().sent).toEqual([{ type: 'auth', token: 'token-1', deviceId: 'dev-a' }]);
    t.authOk();
    expect(t.last().sent.slice(1)).toEqual([
      { type: 'subscribe_event', eventId: EVENT_A },
      { type: 'subscribe_event', eventId: EVENT_B },
    ]);
    expect(t.log).toEqual(['connected']);
    expect(t.client.phase).toBe('open');
  });

  it('sends a heartbeat every 30 s and measures the clock offset from server_time', async () => {
    const t = setup();
    t.client.start();
    t.last().open();
    t.authOk();
    await t.clock.advance(30_000);
    const beat = t.last().sent.at(-1);
    expect(beat).toEqual({ type: 'heartbeat', timestamp: t.clock.now() });
    const sentAt = t.clock.now();
    await t.clock.advance(200);
    // The server's clock runs 5 s ahead; it answered at the midpoint of the 200 ms round trip.
    t.last().receive({
      type: 'heartbeat',
      timestamp: sentAt,
      server_time: sentAt + 100 + 5_000,
      cursors: { [EVENT_A]: 42 },
    });
    expect(t.offsets).toEqual([5_000]);
    expect(t.cursors).toEqual([{ [EVENT_A]: 42 }]);
    await t.clock.advance(30_000);
    expect(
      t
        .last()
        .types()
        .filter((x) => x === 'heartbeat'),
    ).toHaveLength(2);
  });

  it('reconnects with growing, jittered delays, resubscribes, and resets after success', async () => {
    const t = setup();
    t.client.subscribe(EVENT_A);
    t.client.start();
    t.last().open();
    t.authOk();
    t.last().drop();
    expect(t.log).toEqual(['connected', 'disconnected']);
    // Each failed connection waits longer: 375, 750, 1500 ms (base 500, jitter 0.5).
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = t.sockets.length;
      let waited = 0;
      while (t.sockets.length === before) {
        await t.clock.advance(5);
        waited += 5;
      }
      waits.push(waited);
      t.last().drop();
    }
    expect(waits).toEqual([375, 750, 1500]);
    await t.clock.advance(3_000);
    t.last().open();
    t.authOk();
    expect(t.last().sent).toEqual([
      { type: 'auth', token: 'token-1', deviceId: 'dev-a' },
      { type: 'subscribe_event', eventId: EVENT_A },
    ]);
    expect(t.client.failedAttempts).toBe(0);
    expect(t.log.filter((x) => x === 'connected')).toHaveLength(2);
  });

  it('jitter keeps every reconnect delay between half and the full step, capped at 30 s', async () => {
    for (const r of [0, 0.9999]) {
      const t = setup(() => r);
      t.client.start();
      for (let i = 0; i < 12; i++) {
        t.last().drop();
        await t.clock.advance(30_000);
      }
      const s = t.sockets.length;
      t.last().drop();
      await t.clock.advance(14_999);
      expect(t.sockets.length).toBe(s);
      await t.clock.advance(15_001);
      expect(t.sockets.length).toBe(s + 1);
    }
  });

  it('replaces a socket that stays silent for two heartbeat intervals', async () => {
    const t = setup();
    t.client.start();
    t.last().open();
    t.authOk();
    const first = t.last();
    await t.clock.advance(60_000);
    expect(first.closed).toBe(4408);
    await t.clock.advance(1_000);
    expect(t.sockets.length).toBe(2);
  });

  it('online event skips the backoff wait; stop() ends reconnection', async () => {
    const t = setup();
    t.client.start();
    for (let i = 0; i < 5; i++) {
      t.last().drop();
      await t.clock.advance(60_000);
    }
    t.last().drop();
    const n = t.sockets.length;
    t.client.nudge();
    expect(t.sockets.length).toBe(n + 1);
    t.client.stop();
    t.last().drop();
    await t.clock.advance(120_000);
    expect(t.sockets.length).toBe(n + 1);
  });

  it('ignores messages that do not match the protocol', () => {
    const t = setup();
    const seen: string[] = [];
    const client = new RealtimeClient({
      url: 'ws://x',
      getToken: () => 't',
      deviceId: 'd',
      clock: t.clock,
      createSocket: () => {
        const s = new FakeSocket();
        t.sockets.push(s);
        return s;
      },
      onMessage: (m) => seen.push(m.type),
    });
    client.start();
    t.last().open();
    t.last().onmessage?.(new MessageEvent('message', { data: 'not json' }));
    t.last().receive({ type: 'checkin_updated', eventId: 'nope' });
    t.last().receive({ type: 'auth_ok', userId: USER, protocolVersion: 1, server_time: 1 });
    expect(seen).toEqual(['auth_ok']);
  });

  it('sends auth with a renewed token before the first one expires, without resubscribing', async () => {
    const jwt = (n: number) =>
      `h.${btoa(JSON.stringify({ sub: USER, iat: 1_000, exp: 1_000 + 15 * 60, n })).replace(/=+$/, '')}.s`;
    const renewed: string[] = [];
    let n = 0;
    const t = setup(undefined, {
      getToken: () => jwt(0),
      renewToken: async () => {
        n++;
        renewed.push(jwt(n));
        return jwt(n);
      },
      deviceId: 'd',
      heartbeatMs: 60 * 60 * 1000,
    });
    const { client } = t;
    client.subscribe(EVENT_A);
    client.start();
    t.last().open();
    t.authOk();
    expect(t.last().types()).toEqual(['auth', 'subscribe_event']);
    // A minute before the 15-minute token runs out, not later.
    await t.clock.advance(14 * 60 * 1000 - 1);
    expect(t.last().types()).toEqual(['auth', 'subscribe_event']);
    await t.clock.advance(1);
    expect(t.last().sent.at(-1)).toEqual({ type: 'auth', token: renewed[0], deviceId: 'd' });
    t.authOk();
    expect(t.last().types()).toEqual(['auth', 'subscribe_event', 'auth']);
    // And again for the renewed token.
    await t.clock.advance(14 * 60 * 1000);
    expect(t.last().sent.at(-1)).toEqual({ type: 'auth', token: renewed[1], deviceId: 'd' });
    expect(t.sockets.length).toBe(1);
    client.stop();
  });

  it('forgets an event whose access ended, so a reconnect does not ask for it again', () => {
    const t = setup();
    t.client.subscribe(EVENT_A);
    t.client.subscribe(EVENT_B);
    t.client.start();
    t.last().open();
    t.authOk();
    t.last().receive({ type: 'unsubscribed', eventId: EVENT_A, reason: 'staff_removed' });
    t.last().drop();
    return t.clock.advance(120_000).then(() => {
      t.last().open();
      t.authOk();
      expect(t.last().sent.filter((m) => m.type === 'subscribe_event')).toEqual([
        { type: 'subscribe_event', eventId: EVENT_B },
      ]);
      t.client.stop();
    });
  });

  it('after a 4401 close (token expired while the phone slept) renews the token before authenticating again', async () => {
    let renewals = 0;
    const t = setup(undefined, {
      getToken: () => 'stale',
      renewToken: async () => {
        renewals++;
        return 'fresh';
      },
      deviceId: 'd',
    });
    const { client } = t;
    client.start();
    t.last().open();
    await t.clock.advance(0);
    expect(t.last().sent).toEqual([{ type: 'auth', token: 'stale', deviceId: 'd' }]);
    t.last().drop(4401);
    await t.clock.advance(120_000);
    t.last().open();
    await t.clock.advance(0);
    expect(renewals).toBe(1);
    expect(t.last().sent).toEqual([{ type: 'auth', token: 'fresh', deviceId: 'd' }]);
    client.stop();
  });
});
