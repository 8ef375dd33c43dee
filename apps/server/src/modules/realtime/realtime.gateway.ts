import {
  AUTH_TIMEOUT_MS,
  type ClientMessage,
  clientMessageSchema,
  HEARTBEAT_INTERVAL_MS,
  PROTOCOL_VERSION,
  type ServerMessage,
  type UnsubscribeReason,
  WS_CLOSE,
} from '@eventmanager/domain/checkin/realtime.schema';
import type { WebSocket } from 'ws';
import type { Bus } from '../../platform/bus/bus.ts';
import type { Clock } from '../../platform/clock.ts';
import { HttpProblem } from '../../platform/problem.ts';
import { deviceChannel, eventChannel } from '../checkin/channels.ts';
import { ACCESS_REVOCATION_CHANNEL, type AccessRevocation } from './realtime.api.ts';
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
  /**
   * Verifies an access token and its session: the user, the session and when the token expires
   * (ms since the epoch), or null.
   */
  authenticate(token: string): Promise<{ userId: string; sessionId: string; expiresAt: number } | null>;
  /** Where revocations (realtime.api.ts) arrive from every instance; without it none are heard. */
  revocations?: Bus;
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
/** How long a revoked session id is remembered against `auth` checks that were already in flight. */
const RECENTLY_REVOKED_MS = 60_000;
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
  sessionId: string | null = null;
  /** The access token's expiry; past it without a fresh `auth` the socket is closed (4401). */
  expiresAt = 0;
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
  #stopRevocations: (() => Promise<void>) | undefined;
  /**
   * Counts event-access revocations heard here. A subscribe whose check straddles one checks
   * again, so a removal that lands between the check and the join cannot leave a socket following.
   */
  #revocationCount = 0;
  /**
   * Sessions revoked in the last minute (real time): an `auth` whose session check was answered
   * just before the revocation arrived must not attach a socket to that session afterwards.
   */
  readonly #recentlyRevoked = new Map<string, number>();
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

  /** Starts listening for revocations; resolves once subscribed. */
  async start(): Promise<void> {
    const bus = this.#deps.revocations;
    if (!bus || this.#stopRevocations) return;
    this.#stopRevocations = await bus.subscribe(ACCESS_REVOCATION_CHANNEL, (message) =>
      this.#onRevocation(message as AccessRevocation),
    );
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
    await this.#stopRevocations?.().catch(() => {});
    this.#stopRevocations = undefined;
    for (const conn of this.#connections) conn.ws.close(1001, 'server shutting down');
    this.#connections.clear();
    await this.#deps.hub.close();
  }

  #now(): number {
    return this.#deps.clock.now().getTime();
  }

  #sweep(): void {
    const now = this.#now();
    const forgetBefore = performance.now() - RECENTLY_REVOKED_MS;
    for (const [sessionId, at] of this.#recentlyRevoked) {
      if (at >= forgetBefore) break;
      this.#recentlyRevoked.delete(sessionId);
    }
    for (const conn of this.#connections) {
      if (!conn.userId) {
        if (now - conn.openedAt > this.#authTimeoutMs)
          this.#closeWith(conn, WS_CLOSE.unauthorized, 'auth timeout');
      } else if (now >= conn.expiresAt) {
        conn.send({
          type: 'error',
          code: 'unauthorized',
          message: 'The access token expired; send auth again',
        });
        this.#closeWith(conn, WS_CLOSE.unauthorized, 'token expired');
      } else if (now - conn.lastSeen > 2 * this.#heartbeatMs) {
        this.#closeWith(conn, WS_CLOSE.heartbeatTimeout, 'heartbeat missed');
      }
    }
  }

  /** Acts on a revocation synchronously, before any later bus message reaches these sockets. */
  #onRevocation(revocation: AccessRevocation): void {
    if (revocation?.kind === 'sessions' && Array.isArray(revocation.sessionIds)) {
      const revoked = new Set(revocation.sessionIds);
      for (const id of revoked) {
        this.#recentlyRevoked.delete(id);
        this.#recentlyRevoked.set(id, performance.now());
      }
      if (this.#recentlyRevoked.size > 100_000) this.#recentlyRevoked.clear();
      for (const conn of this.#connections) {
        if (conn.sessionId && revoked.has(conn.sessionId)) {
          conn.send({ type: 'error', code: 'unauthorized', message: 'The session was ended' });
          this.#closeWith(conn, WS_CLOSE.unauthorized, 'session revoked');
        }
      }
    } else if (revocation?.kind === 'event' && typeof revocation.eventId === 'string') {
      this.#revocationCount++;
      for (const conn of this.#connections) {
        if (revocation.userId !== null && conn.userId !== revocation.userId) continue;
        this.#unsubscribe(conn, revocation.eventId, revocation.reason);
      }
    }
  }

  /** Stops sending the event to this socket and tells it why (only if it was following it). */
  #unsubscribe(conn: Connection, eventId: string, reason: UnsubscribeReason): void {
    if (!conn.events?.delete(eventId)) return;
    this.#deps.hub.leave(eventChannel(eventId), conn);
    conn.send({ type: 'unsubscribed', eventId, reason });
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
        conn.send({ type: 'unsubscribed', eventId: msg.eventId, reason: 'requested' });
        return;
    }
  }

  async #onAuth(conn: Connection, msg: Extract<ClientMessage, { type: 'auth' }>): Promise<void> {
    let claims = await this.#deps.authenticate(msg.token);
    if (conn.closed) return;
    if (claims && this.#recentlyRevoked.has(claims.sessionId)) claims = null;
    if (!claims) {
      conn.send({ type: 'error', code: 'unauthorized', message: 'Invalid or expired access token' });
      this.#closeWith(conn, WS_CLOSE.unauthorized, 'unauthorized');
      return;
    }
    if (conn.userId) return this.#onReauth(conn, claims);
    conn.userId = claims.userId;
    conn.sessionId = claims.sessionId;
    conn.expiresAt = claims.expiresAt;
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

  /**
   * A fresh token for the same user extends the socket's life; its session is the one checked from
   * now on, and every event the socket follows is checked again (access may have ended while a
   * revocation could not reach this instance).
   */
  async #onReauth(
    conn: Connection,
    claims: { userId: string; sessionId: string; expiresAt: number },
  ): Promise<void> {
    if (claims.userId !== conn.userId) {
      conn.send({ type: 'error', code: 'unauthorized', message: 'A socket cannot change its user' });
      this.#closeWith(conn, WS_CLOSE.unauthorized, 'user changed');
      return;
    }
    conn.sessionId = claims.sessionId;
    conn.expiresAt = claims.expiresAt;
    conn.lastSeen = this.#now();
    for (const eventId of [...(conn.events ?? [])]) {
      if (!(await this.#mayFollow(eventId, claims.userId))) this.#unsubscribe(conn, eventId, 'staff_removed');
    }
    if (conn.closed) return;
    conn.send({
      type: 'auth_ok',
      userId: claims.userId,
      protocolVersion: PROTOCOL_VERSION,
      server_time: this.#now(),
    });
  }

  async #mayFollow(eventId: string, userId: string): Promise<boolean> {
    try {
      await this.#deps.authorizeEvent(eventId, userId);
      return true;
    } catch (err) {
      if (err instanceof HttpProblem) return false;
      throw err;
    }
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

  /** Every subscribe is checked, a repeated one too: access may have ended since the first. */
  async #onSubscribe(conn: Connection, eventId: string): Promise<void> {
    const userId = conn.userId;
    if (!userId) return;
    const already = conn.events?.has(eventId) ?? false;
    if (!already && (conn.events?.size ?? 0) >= this.#maxSubscriptions) {
      conn.send({
        type: 'error',
        code: 'forbidden',
        message: 'Too many subscriptions on one socket',
        eventId,
      });
      return;
    }
    let allowed: boolean;
    let seen: number;
    do {
      seen = this.#revocationCount;
      allowed = await this.#mayFollow(eventId, userId);
      if (conn.closed) return;
      if (allowed && !conn.events?.has(eventId)) {
        conn.events ??= new Set();
        conn.events.add(eventId);
        await this.#deps.hub.join(eventChannel(eventId), conn);
        if (conn.closed) {
          this.#deps.hub.leave(eventChannel(eventId), conn);
          return;
        }
      }
      // A revocation heard while checking or joining may predate this check's answer: check again.
    } while (allowed && seen !== this.#revocationCount && conn.events?.has(eventId));
    if (!allowed || !conn.events?.has(eventId)) {
      if (conn.events?.delete(eventId)) this.#deps.hub.leave(eventChannel(eventId), conn);
      conn.send({ type: 'error', code: 'forbidden', message: 'You may not follow this event', eventId });
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
