import { createHash } from 'node:crypto';
import type { ChangesResponse, SyncResponse } from '@eventmanager/domain/checkin/sync.schema';
import type { Mutation } from './fixtures.ts';
import { WsClient } from './fixtures.ts';

interface Held {
  status: string;
  version: number;
}

/**
 * A staff phone as the web app behaves (issue 4 / ARCHITECTURE "How a check-in flows"): it keeps
 * each participant's state, applies sync answers and `checkin_updated` messages (newer versions win),
 * tracks the event's cursor, and catches up with GET /changes on connect, on a cursor gap, and when a
 * heartbeat answer announces a cursor ahead of its own.
 */
export class DeviceSim {
  readonly states = new Map<string, Held>();
  cursor = 0;
  ws: WsClient | undefined;
  baseUrl = '';
  #catchUp: Promise<void> = Promise.resolve();

  readonly deviceId: string;
  readonly name: string;
  readonly token: string;
  readonly eventId: string;

  constructor(deviceId: string, name: string, token: string, eventId: string) {
    this.deviceId = deviceId;
    this.name = name;
    this.token = token;
    this.eventId = eventId;
  }

  apply(participantId: string, status: string, version: number): void {
    const held = this.states.get(participantId);
    if (!held || version >= held.version) this.states.set(participantId, { status, version });
  }

  async #get(url: string): Promise<ChangesResponse> {
    const res = await fetch(`${this.baseUrl}${url}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as ChangesResponse;
  }

  async snapshot(baseUrl: string): Promise<void> {
    this.baseUrl = baseUrl;
    const snap = await this.#get(`/api/events/${this.eventId}/changes`);
    for (const p of snap.snapshot ?? []) this.apply(p.id, p.checkin.status, p.version);
    this.cursor = snap.cursor;
  }

  /** Serialised: at most one catch-up runs at a time, the next starts from where it ended. */
  catchUp(): Promise<void> {
    this.#catchUp = this.#catchUp.then(async () => {
      for (;;) {
        const page = await this.#get(`/api/events/${this.eventId}/changes?since=${this.cursor}&limit=1000`);
        for (const c of page.changes) this.apply(c.participant_id, c.checkin.status, c.checkin.version);
        this.cursor = Math.max(this.cursor, page.cursor);
        if (!page.has_more) return;
      }
    });
    return this.#catchUp;
  }

  async connect(baseUrl: string, heartbeatMs = 100): Promise<void> {
    this.baseUrl = baseUrl;
    this.ws = await WsClient.connect(baseUrl, this.token, this.eventId, this.deviceId, heartbeatMs);
    this.ws.ws.on('message', (data) => this.#onMessage(JSON.parse(String(data)) as Record<string, unknown>));
    await this.catchUp();
  }

  #onMessage(msg: Record<string, unknown>): void {
    if (msg.type === 'checkin_updated' && msg.eventId === this.eventId) {
      const cursor = Number(msg.cursor);
      this.apply(String(msg.participantId), String(msg.status), Number(msg.version));
      if (cursor === this.cursor + 1 && msg.kind === undefined) this.cursor = cursor;
      else if (cursor > this.cursor) void this.catchUp().catch(() => {});
    } else if (msg.type === 'heartbeat') {
      const announced = (msg.cursors as Record<string, number> | undefined)?.[this.eventId];
      if (announced !== undefined && announced > this.cursor) void this.catchUp().catch(() => {});
    }
  }

  #stopped = false;

  /**
   * Like the app: when the socket drops (its instance died), reconnect to the next address the load
   * balancer offers, with backoff, then catch up from the last cursor.
   */
  keepConnected(urls: string[]): void {
    const attach = () => {
      this.ws?.ws.once('close', () => {
        if (this.#stopped) return;
        void reconnect(0);
      });
    };
    const reconnect = async (attempt: number): Promise<void> => {
      for (let i = attempt; !this.#stopped; i++) {
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** i, 500)));
        const url = urls[i % urls.length]!;
        try {
          await this.connect(url);
          this.reconnects++;
          attach();
          return;
        } catch {
          // try the next address
        }
      }
    };
    attach();
  }

  reconnects = 0;

  disconnect(): void {
    this.#stopped = true;
    this.ws?.close();
    this.ws = undefined;
  }

  async sync(mutations: Mutation[]): Promise<SyncResponse> {
    const res = await fetch(`${this.baseUrl}/api/events/${this.eventId}/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        device: { id: this.deviceId, name: this.name },
        mutations,
        sent_at: Date.now(),
      }),
    });
    if (!res.ok) throw new Error(`sync: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as SyncResponse;
    for (const r of body.results)
      if (r.state) this.apply(r.state.participant_id, r.state.status, r.state.version);
    return body;
  }

  hash(): string {
    return hashStates(this.states);
  }
}

export function hashStates(states: Map<string, Held>): string {
  const lines = [...states.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, s]) => `${id}:${s.status}:${s.version}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The server's own view, from a fresh snapshot. */
export async function serverHash(baseUrl: string, token: string, eventId: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/events/${eventId}/changes`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const snap = (await res.json()) as ChangesResponse;
  return hashStates(
    new Map((snap.snapshot ?? []).map((p) => [p.id, { status: p.checkin.status, version: p.version }])),
  );
}

export async function until(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
