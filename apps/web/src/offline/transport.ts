/**
 * What the offline layer needs from the network, as interfaces: the app passes the fetch-based
 * implementation (`http-transport.ts`), unit tests a scripted fake network. Wire shapes are the
 * domain package's schemas, the same ones the server validates with.
 */
import type { ChangesResponse, SyncRequest, SyncResponse } from '@eventmanager/domain/checkin/sync.schema';
import type { WalkInInput, WalkInResponse } from '@eventmanager/domain/checkin/walk-in.schema';

/** Thrown for answers that are not 2xx; `status` 0 means the request never reached the server. */
export class TransportError extends Error {
  readonly status: number;
  /** The server's problem code ("already_registered" …), when it sent one. */
  readonly code: string | undefined;
  constructor(status: number, message: string, code?: string) {
    super(message);
    this.name = 'TransportError';
    this.status = status;
    this.code = code;
  }
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface SyncTransport {
  sync(eventId: string, body: SyncRequest): Promise<SyncResponse>;
  /** POST /walk-ins; absent in transports that never send walk-ins. */
  walkIn?(eventId: string, body: WalkInInput): Promise<WalkInResponse>;
}

export interface ChangesTransport {
  /** `since` null asks for the full snapshot. */
  changes(eventId: string, since: number | null): Promise<ChangesResponse>;
}
