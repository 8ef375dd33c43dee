import {
  type SyncRequestBody,
  type SyncResponseBody,
  type SyncTransport,
  TransportError,
} from '../transport.ts';

/**
 * A scripted server for the outbox: `down` makes every request fail like a lost connection; `status`
 * answers with that HTTP status; otherwise it applies each mutation id at most once, like the real one.
 */
export class FakeSyncServer implements SyncTransport {
  down = false;
  status = 200;
  serverTime = () => new Date().toISOString();
  readonly requests: SyncRequestBody[] = [];
  readonly applied = new Map<string, SyncRequestBody['mutations'][number]>();
  private cursor = 0;

  async sync(_eventId: string, body: SyncRequestBody): Promise<SyncResponseBody> {
    this.requests.push(structuredClone(body));
    if (this.down) throw new TransportError(0, 'network down');
    if (this.status !== 200) throw new TransportError(this.status, `HTTP ${this.status}`);
    const results = body.mutations.map((m) => {
      const duplicate = this.applied.has(m.id);
      if (!duplicate) {
        this.applied.set(m.id, m);
        this.cursor++;
      }
      return {
        id: m.id,
        applied: !duplicate,
        duplicate,
        state: {
          participant_id: m.participant_id,
          status: m.type === 'check_in' ? ('checked_in' as const) : ('not_checked_in' as const),
        },
      };
    });
    return { server_time: this.serverTime(), results, cursor: String(this.cursor) };
  }

  get sentIds(): string[] {
    return this.requests.flatMap((r) => r.mutations.map((m) => m.id));
  }
}
