import {
  type ChangesResponse,
  changesResponseSchema,
  type SyncRequest,
  type SyncResponse,
  syncResponseSchema,
} from '@eventmanager/domain/checkin/sync.schema';
import {
  type WalkInInput,
  type WalkInResponse,
  walkInResponseSchema,
} from '@eventmanager/domain/checkin/walk-in.schema';
import { apiFetch } from '../api/client.ts';
import { ApiError, NetworkError } from '../api/problem.ts';
import { type ChangesTransport, type SyncTransport, TransportError } from './transport.ts';

/** POST /sync and GET /changes through the app's API client (bearer token, one refresh on 401). */
export class HttpCheckinTransport implements SyncTransport, ChangesTransport {
  async sync(eventId: string, body: SyncRequest): Promise<SyncResponse> {
    const json = await request(`/api/events/${encodeURIComponent(eventId)}/sync`, { method: 'POST', body });
    return syncResponseSchema.parse(json);
  }

  async walkIn(eventId: string, body: WalkInInput): Promise<WalkInResponse> {
    const json = await request(`/api/events/${encodeURIComponent(eventId)}/walk-ins`, {
      method: 'POST',
      body,
    });
    return walkInResponseSchema.parse(json);
  }

  async changes(eventId: string, since: number | null): Promise<ChangesResponse> {
    const query = since === null ? '' : `?since=${since}`;
    const json = await request(`/api/events/${encodeURIComponent(eventId)}/changes${query}`, {});
    return changesResponseSchema.parse(json);
  }
}

async function request(path: string, options: Parameters<typeof apiFetch>[1]): Promise<unknown> {
  try {
    const res = await apiFetch(path, options);
    return await res.json();
  } catch (error) {
    if (error instanceof NetworkError) throw new TransportError(0, error.message);
    if (error instanceof ApiError) throw new TransportError(error.status, error.message, error.code);
    // A body that is not JSON (a proxy's error page) is as good as no answer.
    if (error instanceof SyntaxError) throw new TransportError(502, error.message);
    throw error;
  }
}
