import {
  AUTH_TIMEOUT_MS,
  type ClientMessage,
  clientMessageSchema,
  HEARTBEAT_INTERVAL_MS,
  PROTOCOL_VERSION,
  type ServerMessage,
  WS_CLOSE,
} from '@eventmanager/domain/checkin/realtime.schema';
import type { WebSocket } from 'ws';
import type { Clock } from '../../platform/clock.ts';
import { HttpProblem } from '../../platform/problem.ts';
import { deviceChannel, eventChannel } from '../checkin/channels.ts';
import type { HubMember, RealtimeHub } from './realtime.hub.ts';

export interface GatewayOptions {
  heartbeatIntervalMs?: number;
  authTimeoutMs?: number;
  /** A socket may follow at most this many events at once. */
  maxSubscriptions?: number;
}

export interface GatewayDeps {
  hub: RealtimeHub;
  clock: Clock;
  /** Verifies an access token: the user id, or null. */
  authenticate(token: string): Promise<{ userId: string } | null>;
  /** Throws an HttpProblem (404/403) when the user neither organizes nor staffs the event. */
  authorizeEvent(eventId: string, userId: string): Promise<void>;
  /** The event's current change cursor (announced in heartbeat answers). */
  currentCursor?(eventId: string): Promise<number>;
  /** Records a device's clock offset measured from a heartbeat (server − device, ms). */
  recordClockOffset?(userId: string, deviceId: string, offsetMs: number): Promise<void>;
  onError?(err: unknown): void;
}

/** Beyond this much unsent data a socket is too slow to follow; it is closed and will catch up. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long an event's cursor read for heartbeat answers is reused. */
const CURSOR_CACHE_MS = 250;
/** A heartbeat offset is stored only when it moved this much, to keep heartbeats write-free. */
const OFFSET_STORE_THRESHOLD_MS = 1_000;

/**
 * One connected socket. Kept deliberately small (a handful of fields, no per-socket timers): the
 * gateway sweeps every socket on one shared timer for the auth deadline and missed heartbeats.
 */
class Connection implements HubMember {
  readonly ws: WebSocket;
  readonly openedAt: number;
  lastSeen: number;
  userId: string | null = null;
  deviceId: string | null = null;
  events: Set<string> | null = null;
  storedOffset: number | null = null;
  closed = false;

  constructor(ws: WebSocket, now: number) {
    this.ws = ws;
    this.openedAt = now;
    this.lastSeen = now;
  }

  deliver(frame: Buffer | string): void {
    if (this.closed || this.ws.readyState !== 1) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.close(1013, 'too slow');
      return;
    }
    // A Buffer is sent as the text frame it encodes (the protocol has no binary frames).
    this.ws.send(frame, { binary: false });
  }

  send(message: ServerMessage): void {
    this.deliver(JSON.stringify(message));
  }
}

/** The /realtime protocol (API.md "WebSocket"): auth, subscriptions, heartbeats, fan-out. */
export class RealtimeGateway {
  readonly #deps: GatewayDeps;
  readonly #heartbeatMs: number;
  readonly #authTimeoutMs: number;
  readonly #maxSubscriptions: number;
  readonly #connections = new Set<Connection>();
  #sweeper: NodeJS.Timeout | undefined;
  readonly #cursorCache = new Map<string, { at: number; value: Promise<number> }>();

  constructor(deps: GatewayDeps, options: GatewayOptions = {}) {
    this.#deps = deps;
    this.#heartbeatMs = options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
    this.#authTimeoutMs = options.authTimeoutMs ?? AUTH_TIMEOUT_MS;
    this.#maxSubscriptions = options.maxSubscriptions ?? 50;
    const tick = Math.max(
      50,
      Math.min(1_000, Math.floor(Math.min(this.#heartbeatMs, this.#authTimeoutMs) / 4)),
    );
    this.#sweeper = setInterval(() => this.#sweep(), tick);
    this.#sweeper.unref();
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  accept(ws: WebSocket): void {
    const conn = new Connection(ws, this.#now());
    this.#connections.add(conn);
    ws.on('message', (data, isBinary) => {
      this.#onFrame(conn, data, isBinary).catch((err) => {
        this.#deps.onError?.(err);
        conn.send({ type: 'error', code: 'invalid_message', message: 'The message could not be handled' });
      });
    });
    ws.on('close', () => this.#drop(conn));
    // Oversized frames and protocol violations surface here; ws closes the socket itself.
    ws.on('error', () => this.#drop(conn));
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const conn of this.#connections) conn.ws.close(1001, 'server shutting down');
    this.#connections.clear();
    await this.#deps.hub.close();
  }

  #now(): number {
    return this.#deps.clock.now().getTime();
  }

  #sweep(): void {
    const now = this.#now();
    for (const conn of this.#connections) {
      if (!conn.userId) {
        if (now - conn.openedAt > this.#authTimeoutMs)
          this.#closeWith(conn, WS_CLOSE.unauthorized, 'auth timeout');
      } else if (now - conn.lastSeen > 2 * this.#heartbeatMs) {
        this.#closeWith(conn, WS_CLOSE.heartbeatTimeout, 'heartbeat missed');
      }
    }
  }

  #closeWith(conn: Connection, code: number, reason: string): void {
    this.#drop(conn);
    conn.ws.close(code, reason);
  }

  #drop(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.#connections.delete(conn);
    const { hub } = this.#deps;
    if (conn.events) for (const eventId of conn.events) hub.leave(eventChannel(eventId), conn);
    if (conn.deviceId && conn.userId) hub.leave(deviceChannel(conn.userId, conn.deviceId), conn);
    conn.events = null;
  }

  async #onFrame(conn: Connection, data: unknown, isBinary: boolean): Promise<void> {
    if (conn.closed) return;
    const message = parseClientMessage(data, isBinary);
    if (!message.ok) {
      conn.send({ type: 'error', code: 'invalid_message', message: message.error });
      return;
    }
    const msg = message.value;
    if (msg.type === 'auth') return this.#onAuth(conn, msg);
    if (!conn.userId) {
      conn.send({ type: 'error', code: 'not_authenticated', message: 'Send {type: "auth", token} first' });
      return;
    }
    conn.lastSeen = this.#now();
    switch (msg.type) {
      case 'heartbeat':
        return this.#onHeartbeat(conn, msg.timestamp);
      case 'subscribe_event':
        return this.#onSubscribe(conn, msg.eventId);
      case 'unsubscribe_event':
        if (conn.events?.delete(msg.eventId)) this.#deps.hub.leave(eventChannel(msg.eventId), conn);
        conn.send({ type: 'unsubscribed', eventId: msg.eventId });
        return;
    }
  }

  async #onAuth(conn: Connection, msg: Extract<ClientMessage, { type: 'auth' }>): Promise<void> {
    if (conn.userId) {
      conn.send({ type: 'error', code: 'invalid_message', message: 'Already authenticated' });
      return;
    }
    const claims = await this.#deps.authenticate(msg.token);
    if (conn.closed) return;
    if (!claims) {
      conn.send({ type: 'error', code: 'unauthorized', message: 'Invalid or expired access token' });
      this.#closeWith(conn, WS_CLOSE.unauthorized, 'unauthorized');
      return;
    }
    conn.userId = claims.userId;
    conn.lastSeen = this.#now();
    if (msg.deviceId) {
      conn.deviceId = msg.deviceId;
      const channel = deviceChannel(claims.userId, msg.deviceId);
      await this.#deps.hub.join(channel, conn);
      if (conn.closed) this.#deps.hub.leave(channel, conn);
    }
    conn.send({
      type: 'auth_ok',
      userId: claims.userId,
      protocolVersion: PROTOCOL_VERSION,
      server_time: this.#now(),
    });
  }

  async #cursorsOf(events: Set<string> | null): Promise<Record<string, number> | undefined> {
    const { currentCursor } = this.#deps;
    if (!currentCursor || !events || events.size === 0) return undefined;
    const out: Record<string, number> = {};
    const now = Date.now();
    for (const eventId of events) {
      // Many sockets follow one event: one read per event per instance per CURSOR_CACHE_MS at most.
      let cached = this.#cursorCache.get(eventId);
      if (!cached || now - cached.at > CURSOR_CACHE_MS) {
        cached = { at: now, value: currentCursor(eventId) };
        this.#cursorCache.set(eventId, cached);
        if (this.#cursorCache.size > 10_000) this.#cursorCache.clear();
      }
      out[eventId] = await cached.value;
    }
    return out;
  }

  async #onHeartbeat(conn: Connection, timestamp: number): Promise<void> {
    const serverTime = this.#now();
    const cursors = await this.#cursorsOf(conn.events);
    conn.send({ type: 'heartbeat', timestamp, server_time: serverTime, ...(cursors ? { cursors } : {}) });
    const { recordClockOffset } = this.#deps;
    if (!recordClockOffset || !conn.deviceId || !conn.userId || !Number.isFinite(timestamp)) return;
    const offset = Math.round(serverTime - timestamp);
    if (conn.storedOffset !== null && Math.abs(offset - conn.storedOffset) < OFFSET_STORE_THRESHOLD_MS)
      return;
    conn.storedOffset = offset;
    await recordClockOffset(conn.userId, conn.deviceId, offset);
  }

  async #onSubscribe(conn: Connection, eventId: string): Promise<void> {
    const userId = conn.userId;
    if (!userId) return;
    if (conn.events?.has(eventId)) {
      conn.send({ type: 'subscribed', eventId });
      return;
    }
    if ((conn.events?.size ?? 0) >= this.#maxSubscriptions) {
      conn.send({
        type: 'error',
        code: 'forbidden',
        message: 'Too many subscriptions on one socket',
        eventId,
      });
      return;
    }
    try {
      await this.#deps.authorizeEvent(eventId, userId);
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      conn.send({ type: 'error', code: 'forbidden', message: 'You may not follow this event', eventId });
      return;
    }
    if (conn.closed) return;
    conn.events ??= new Set();
    conn.events.add(eventId);
    await this.#deps.hub.join(eventChannel(eventId), conn);
    if (conn.closed) {
      this.#deps.hub.leave(eventChannel(eventId), conn);
      return;
    }
    conn.send({ type: 'subscribed', eventId });
  }
}

type Parsed = { ok: true; value: ClientMessage } | { ok: false; error: string };

function parseClientMessage(data: unknown, isBinary: boolean): Parsed {
  if (isBinary) return { ok: false, error: 'Binary frames are not part of the protocol; send JSON text' };
  const text = Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : String(data);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The frame is not valid JSON' };
  }
  const result = clientMessageSchema.safeParse(json);
  if (!result.success) {
    const type =
      typeof json === 'object' && json !== null && 'type' in json
        ? String((json as { type: unknown }).type)
        : undefined;
    const known = type && ['auth', 'subscribe_event', 'unsubscribe_event', 'heartbeat'].includes(type);
    return {
      ok: false,
      error: known
        ? `Malformed ${type} message: ${result.error.issues[0]?.message ?? 'invalid'}`
        : `Unknown message type ${JSON.stringify(type ?? null)}`,
    };
  }
  return { ok: true, value: result.data };
}
