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

export function manageUrlFor(context: ParticipantsContext, participantId: string): string {
  return `${context.publicUrl}/m/${signManageToken(context.manageKey, participantId)}`;
}
