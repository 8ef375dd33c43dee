/**
 * What the offline layer needs from the network, as interfaces: the app passes the fetch-based
 * implementation (`http-transport.ts`), unit tests a scripted fake network. Wire shapes are the
 * domain package's schemas, the same ones the server validates with.
 */
import type { ChangesResponse, SyncRequest, SyncResponse } from '@eventmanager/domain/checkin/sync.schema';

/** Thrown for answers that are not 2xx; `status` 0 means the request never reached the server. */
export class TransportError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'TransportError';
    this.status = status;
  }
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface SyncTransport {
  sync(eventId: string, body: SyncRequest): Promise<SyncResponse>;
}

export interface ChangesTransport {
  /** `since` null asks for the full snapshot. */
  changes(eventId: string, since: number | null): Promise<ChangesResponse>;
}
