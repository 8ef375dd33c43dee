/**
 * What the offline layer needs from the network, as an interface: the app passes the fetch-based
 * implementation (`http-transport.ts`), unit tests a scripted fake network.
 */
import type { CheckinAction, CheckinStatus } from './types.ts';

export type SyncMutationBody = {
  id: string;
  type: CheckinAction;
  participant_id: string;
  local_timestamp: string;
  timestamp?: string;
};

export type SyncRequestBody = {
  device: { id: string; name: string };
  mutations: SyncMutationBody[];
};

export type SyncResultItem = {
  id: string;
  applied: boolean;
  duplicate: boolean;
  state: { participant_id?: string; status: CheckinStatus; version?: number } | null;
};

export type SyncResponseBody = {
  server_time: string;
  results: SyncResultItem[];
  cursor: string | null;
};

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
  sync(eventId: string, body: SyncRequestBody): Promise<SyncResponseBody>;
}
