import {
  type ClientMessage,
  HEARTBEAT_INTERVAL_MS,
  PROTOCOL_VERSION,
  type ServerMessage,
  serverMessageSchema,
} from '@eventmanager/domain/checkin/realtime.schema';
import { type BackoffPolicy, backoffDelay, reconnectBackoff } from './backoff.ts';
import type { Clock, TimerHandle } from './clock.ts';

/** The part of `WebSocket` the client uses, so tests can hand in a fake. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
}

export type RealtimePhase = 'idle' | 'connecting' | 'open' | 'waiting_reconnect' | 'stopped';

export type RealtimeHandlers = {
  /** Authenticated and (re)subscribed: the moment to catch up from the cursor and flush the outbox. */
  onConnected?: () => void;
  onDisconnected?: () => void;
  onMessage?: (message: ServerMessage) => void;
  /** server clock − device clock, measured from a heartbeat's round trip (midpoint estimate). */
  onClockOffset?: (offsetMs: number, roundTripMs: number) => void;
  onPhase?: (phase: RealtimePhase) => void;
  /** The server's current cursor per subscribed event, sent with heartbeat answers: a gap check even when idle. */
  onCursors?: (cursors: Record<string, number>) => void;
  /**
   * The server speaks another protocol version than this app was built for: the client stops (it
   * would misread messages, and reconnecting cannot help) and the user must reload the app.
   */
  onProtocolMismatch?: (serverVersion: number) => void;
};

export type RealtimeOptions = RealtimeHandlers & {
  url: string;
  getToken: () => string | null;
  /**
   * A fresh access token (refreshing the session if needed), asked for before the token the socket
   * authenticated with expires: the server closes the socket (4401) at that expiry unless it got
   * `auth` with a fresh token first. Without it, `getToken` is asked again.
   */
  renewToken?: () => Promise<string | null>;
  deviceId: string;
  createSocket: (url: string) => SocketLike;
  clock: Clock;
  random?: () => number;
  heartbeatMs?: number;
  backoff?: BackoffPolicy;
};

/**
 * The /realtime client: `auth` first, then `subscribe_event` for every event of interest (again after
 * every reconnect), a heartbeat every 30 s whose answer measures the clock offset, and reconnection
 * with exponential backoff + jitter. A socket that stays silent for two heartbeat intervals is treated
 * as dead (mobile networks drop connections without a close frame) and replaced.
 */
export class RealtimeClient {
  private readonly o: RealtimeOptions & { heartbeatMs: number; backoff: BackoffPolicy; random: () => number };
  private socket: SocketLike | null = null;
  private readonly events = new Set<string>();
  private attempt = 0;
  private reconnectTimer: TimerHandle | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private lastMessageAt = 0;
  private phaseValue: RealtimePhase = 'idle';
  private renewTimer: TimerHandle | null = null;
  /** The token last sent in `auth`, to time its renewal. */
  private sentToken: string | null = null;
  /** The server refused the last token (4401): renew before the next `auth`. */
  private renewFirst = false;

  constructor(options: RealtimeOptions) {
    this.o = {
      heartbeatMs: HEARTBEAT_INTERVAL_MS,
      backoff: reconnectBackoff,
      random: Math.random,
      ...options,
    };
  }

  get phase(): RealtimePhase {
    return this.phaseValue;
  }

  /** Reconnect attempts since the last successful connection. */
  get failedAttempts(): number {
    return this.attempt;
  }

  start(): void {
    if (this.phaseValue !== 'idle' && this.phaseValue !== 'stopped') return;
    this.connect();
  }

  stop(): void {
    this.setPhase('stopped');
    this.reconnectTimer?.cancel();
    this.heartbeatTimer?.cancel();
    this.renewTimer?.cancel();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'client stopped');
    }
  }

  /** Network came back (`online` event): skip the remaining backoff wait. */
  nudge(): void {
    if (this.phaseValue !== 'waiting_reconnect') return;
    this.reconnectTimer?.cancel();
    this.connect();
  }

  subscribe(eventId: string): void {
    this.events.add(eventId);
    if (this.phaseValue === 'open') this.send({ type: 'subscribe_event', eventId });
  }

  unsubscribe(eventId: string): void {
    this.events.delete(eventId);
    if (this.phaseValue === 'open') this.send({ type: 'unsubscribe_event', eventId });
  }

  private connect(): void {
    this.setPhase('connecting');
    let socket: SocketLike;
    try {
      socket = this.o.createSocket(this.o.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => void this.authenticate(socket);
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => {
      // A close event always follows; reconnection happens there.
    };
    socket.onclose = (ev) => {
      // An expired or revoked token: a phone that slept past its token's life renews on reconnect.
      if (ev?.code === 4401) this.renewFirst = true;
      this.closed(socket);
    };
  }

  private async authenticate(socket: SocketLike): Promise<void> {
    let token: string | null;
    if (this.renewFirst && this.o.renewToken) {
      try {
        token = await this.o.renewToken();
      } catch {
        token = null;
      }
    } else token = this.o.getToken();
    if (this.socket !== socket) return;
    if (!token) {
      socket.close(4401, 'no token');
      return;
    }
    this.renewFirst = false;
    this.lastMessageAt = this.o.clock.now();
    this.sentToken = token;
    this.send({ type: 'auth', token, deviceId: this.o.deviceId });
  }

  private closed(socket: SocketLike): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.heartbeatTimer?.cancel();
    this.renewTimer?.cancel();
    const wasOpen = this.phaseValue === 'open';
    if (wasOpen) this.o.onDisconnected?.();
    if (this.phaseValue !== 'stopped') this.scheduleReconnect();
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    const now = this.o.clock.now();
    this.lastMessageAt = now;
    if (message.type === 'auth_ok' && message.protocolVersion !== PROTOCOL_VERSION) {
      this.stop();
      this.o.onProtocolMismatch?.(message.protocolVersion);
      return;
    }
    if (message.type === 'auth_ok' && this.phaseValue === 'open') {
      // The answer to a renewal: same socket, same subscriptions.
      this.scheduleRenewal();
    } else if (message.type === 'auth_ok') {
      this.attempt = 0;
      this.setPhase('open');
      for (const eventId of this.events) this.send({ type: 'subscribe_event', eventId });
      this.scheduleHeartbeat();
      this.scheduleRenewal();
      this.o.onConnected?.();
    } else if (message.type === 'heartbeat') {
      const roundTrip = now - message.timestamp;
      this.o.onClockOffset?.(Math.round(message.server_time - (message.timestamp + now) / 2), roundTrip);
      const cursors = readCursors(json);
      if (cursors) this.o.onCursors?.(cursors);
    } else if (message.type === 'unsubscribed' && message.reason && message.reason !== 'requested') {
      // Access ended (removed from staff, event deleted): never ask for it again on reconnect.
      this.events.delete(message.eventId);
    }
    this.o.onMessage?.(message);
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = this.o.clock.setTimeout(() => {
      if (this.phaseValue !== 'open' || !this.socket) return;
      if (this.o.clock.now() - this.lastMessageAt >= 2 * this.o.heartbeatMs) {
        // Nothing heard for two intervals, not even a heartbeat answer: the connection is dead.
        const dead = this.socket;
        dead.close(4408, 'heartbeat timeout');
        this.closed(dead);
        return;
      }
      this.send({ type: 'heartbeat', timestamp: this.o.clock.now() });
      this.scheduleHeartbeat();
    }, this.o.heartbeatMs);
  }

  /**
   * Sends `auth` with a fresh token before the current one expires. Timed from the token's own
   * lifetime (`exp − iat`, both server time) counted from now, so a device clock that is off does
   * not matter; a minute (at most a fifth of the lifetime) is left for the refresh round trip.
   */
  private scheduleRenewal(): void {
    this.renewTimer?.cancel();
    const lifetime = this.sentToken ? tokenLifetimeMs(this.sentToken) : null;
    if (lifetime === null) return;
    const margin = Math.min(60_000, lifetime / 5);
    this.renewTimer = this.o.clock.setTimeout(() => void this.renew(), Math.max(0, lifetime - margin));
  }

  private async renew(): Promise<void> {
    const socket = this.socket;
    let token: string | null;
    try {
      token = this.o.renewToken ? await this.o.renewToken() : this.o.getToken();
    } catch {
      token = null;
    }
    if (!token || this.socket !== socket || this.phaseValue !== 'open') return;
    this.sentToken = token;
    this.send({ type: 'auth', token, deviceId: this.o.deviceId });
  }

  private scheduleReconnect(): void {
    this.attempt++;
    this.setPhase('waiting_reconnect');
    const delay = backoffDelay(this.attempt, this.o.backoff, this.o.random);
    this.reconnectTimer = this.o.clock.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private send(message: ClientMessage): void {
    try {
      this.socket?.send(JSON.stringify(message));
    } catch {
      // The socket is closing; its close handler reconnects.
    }
  }

  private setPhase(phase: RealtimePhase): void {
    if (this.phaseValue === phase) return;
    this.phaseValue = phase;
    this.o.onPhase?.(phase);
  }
}

/** How long a JWT is valid (`exp − iat`, ms), read without verifying; null when it does not say. */
export function tokenLifetimeMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
      iat?: unknown;
    };
    if (typeof json.exp !== 'number' || typeof json.iat !== 'number' || json.exp <= json.iat) return null;
    return (json.exp - json.iat) * 1000;
  } catch {
    return null;
  }
}

/** `cursors` is an addition of our server to the heartbeat answer; read it defensively. */
function readCursors(json: unknown): Record<string, number> | null {
  const raw = (json as { cursors?: unknown }).cursors;
  if (!raw || typeof raw !== 'object') return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
