import { randomUUID } from 'node:crypto';
import type { ChangesResponse, SyncResponse } from '@eventmanager/domain/checkin/sync.schema';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import WebSocket from 'ws';
import type { App } from '../../src/app.ts';
import { createEvent } from '../events/fixtures.ts';
import { addStaffMember, bearer, signupUser, uniqueEmail } from '../helpers/test-app.ts';
import { eventBody } from '../participants/fixtures.ts';

export interface Setup {
  organizer: Awaited<ReturnType<typeof signupUser>>;
  staff: Awaited<ReturnType<typeof signupUser>>;
  eventId: string;
  participants: Participant[];
}

/** An organizer, a staff member, an event with unlimited capacity, and `count` participants. */
export async function setupEvent(app: App, count: number): Promise<Setup> {
  const organizer = await signupUser(app, { name: '김사라' });
  const staff = await signupUser(app, { name: '이민수' });
  const event = await createEvent(app, organizer.token, eventBody({ max: null, deadline: null }));
  await addStaffMember(app, organizer.token, event.id, staff);
  const participants = await addParticipants(app, organizer.token, event.id, count);
  return { organizer, staff, eventId: event.id, participants };
}

export async function addParticipants(
  app: App,
  token: string,
  eventId: string,
  count: number,
  concurrency = 1,
): Promise<Participant[]> {
  const out: Participant[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) out[i] = await addOne(app, token, eventId, i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

async function addOne(app: App, token: string, eventId: string, i: number): Promise<Participant> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/participants`,
    headers: bearer(token),
    payload: {
      identity: { name: i === 0 ? '홍길동' : `참가자${i}`, email: uniqueEmail('p') },
      custom_responses: { company: '네이버' },
    },
  });
  if (res.statusCode !== 201) throw new Error(`add participant failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as Participant | { participant: Participant };
  return 'participant' in body ? body.participant : body;
}

export interface Mutation {
  id: string;
  type: 'check_in' | 'undo_check_in';
  participant_id: string;
  local_timestamp: string | number;
}

export const mutation = (
  participantId: string,
  type: Mutation['type'] = 'check_in',
  at: string | number = Date.now(),
): Mutation => ({
  id: randomUUID(),
  type,
  participant_id: participantId,
  local_timestamp: at,
});

export async function syncRaw(
  app: App,
  token: string,
  eventId: string,
  mutations: unknown[],
  device = { id: 'device-a', name: '김사라의 iPhone' },
  extra: Record<string, unknown> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/sync`,
    headers: bearer(token),
    payload: { device, mutations, ...extra },
  });
}

export async function syncOk(...args: Parameters<typeof syncRaw>): Promise<SyncResponse> {
  const res = await syncRaw(...args);
  if (res.statusCode !== 200) throw new Error(`sync failed: ${res.statusCode} ${res.body}`);
  return res.json() as SyncResponse;
}

export async function changes(app: App, token: string, eventId: string, since?: number, limit?: number) {
  const q = new URLSearchParams();
  if (since !== undefined) q.set('since', String(since));
  if (limit !== undefined) q.set('limit', String(limit));
  const res = await app.inject({
    method: 'GET',
    url: `/api/events/${eventId}/changes?${q}`,
    headers: bearer(token),
  });
  if (res.statusCode !== 200) throw new Error(`changes failed: ${res.statusCode} ${res.body}`);
  return res.json() as ChangesResponse;
}

/** A WebSocket client that records every message and can wait for one matching a predicate. */
export class WsClient {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[] = [];
  #waiters: {
    pred: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  constructor(baseUrl: string) {
    this.ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/realtime`);
    this.ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      this.messages.push(msg);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.pred(msg)) return true;
        w.resolve(msg);
        return false;
      });
    });
    this.ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  opened(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  waitFor(
    pred: (m: Record<string, unknown>) => boolean,
    timeoutMs = 5_000,
  ): Promise<Record<string, unknown>> {
    const hit = this.messages.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting; got ${JSON.stringify(this.messages.slice(-5))}`)),
        timeoutMs,
      );
      this.#waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  #beat: NodeJS.Timeout | undefined;

  /** Sends a heartbeat every `ms` (as the app does every 30 s) until closed. */
  heartbeatEvery(ms: number): void {
    this.#beat = setInterval(() => {
      if (this.ws.readyState === WebSocket.OPEN) this.send({ type: 'heartbeat', timestamp: Date.now() });
    }, ms);
    this.ws.on('close', () => clearInterval(this.#beat));
  }

  /** Connects, authenticates and subscribes; resolves once subscribed. Heartbeats every 100 ms. */
  static async connect(
    baseUrl: string,
    token: string,
    eventId?: string,
    deviceId?: string,
    heartbeatMs: number | null = 100,
  ): Promise<WsClient> {
    const c = new WsClient(baseUrl);
    await c.opened();
    if (heartbeatMs) c.heartbeatEvery(heartbeatMs);
    c.send({ type: 'auth', token, ...(deviceId ? { deviceId } : {}) });
    await c.waitFor((m) => m.type === 'auth_ok');
    if (eventId) {
      c.send({ type: 'subscribe_event', eventId });
      await c.waitFor((m) => m.type === 'subscribed' && m.eventId === eventId);
    }
    return c;
  }

  close(): void {
    clearInterval(this.#beat);
    this.ws.terminate();
  }
}
