import type { PiiCipher } from '../../platform/pii.ts';
import { signManageToken } from './tokens.ts';

/**
 * What the exported participants API needs beyond a Db: the personal-data cipher and the keys and
 * base URL of manage links. Set once when the module registers (other modules call the API with
 * only a Db, like the events module's share URLs).
 */
export interface ParticipantsContext {
  cipher: PiiCipher;
  manageKey: Uint8Array;
  publicUrl: string;
}

let current: ParticipantsContext | undefined;

export function configureParticipantsContext(context: ParticipantsContext): void {
  current = { ...context, publicUrl: context.publicUrl.replace(/\/$/, '') };
}

export function participantsContext(): ParticipantsContext {
  if (!current) throw new Error('participants module is not registered (configureParticipantsContext)');
  return current;
}

/**
 * Recently signed manage URLs per context: a registration needs its URL twice (the answer and the
 * confirmation e-mail) and an HMAC each time is measurable in a burst. Bounded; a miss just signs.
 */
const recentUrls = new WeakMap<ParticipantsContext, Map<string, string>>();
const RECENT_URLS = 10_000;

export function manageUrlFor(context: ParticipantsContext, participantId: string): string {
  let recent = recentUrls.get(context);
  if (!recent) {
    recent = new Map();
    recentUrls.set(context, recent);
  }
  let url = recent.get(participantId);
  if (url === undefined) {
    url = `${context.publicUrl}/m/${signManageToken(context.manageKey, participantId)}`;
    if (recent.size >= RECENT_URLS) recent.clear();
    recent.set(participantId, url);
  }
  return url;
}
