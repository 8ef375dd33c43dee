import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { maskPhone } from '@eventmanager/domain/participants/phone';
import type { PiiCipher } from '../../platform/pii.ts';
import type { ParticipantRow } from './participants.tables.ts';

export interface MapOptions {
  /** Organizer and staff views show the phone masked unless it was explicitly (and loggedly) revealed. */
  phone: 'masked' | 'plain';
}

/** The seed's nested `Participant`, with e-mail and phone decrypted. */
/**
 * Decrypted e-mail and phone per row object: one registration is mapped several times (the answer,
 * the real-time message, the hooks' reads), and decrypting once is enough.
 */
const plaintexts = new WeakMap<
  ParticipantRow,
  { emailEnc: string; phoneEnc: string | null; email: string; phone: string | null }
>();

function decrypted(row: ParticipantRow, cipher: PiiCipher): { email: string; phone: string | null } {
  const hit = plaintexts.get(row);
  // Rows are plain objects: a cached entry is valid only while the ciphertexts are unchanged.
  if (hit && hit.emailEnc === row.emailEnc && hit.phoneEnc === row.phoneEnc) return hit;
  const value = {
    emailEnc: row.emailEnc,
    phoneEnc: row.phoneEnc,
    email: cipher.decrypt(row.emailEnc),
    phone: row.phoneEnc ? cipher.decrypt(row.phoneEnc) : null,
  };
  plaintexts.set(row, value);
  return value;
}

/**
 * Records the plaintexts of a row this process has just encrypted, so mapping it (the answer, the
 * real-time message, the hooks' reads) decrypts nothing.
 */
export function rememberPlaintexts(row: ParticipantRow, email: string, phone: string | null): void {
  plaintexts.set(row, { emailEnc: row.emailEnc, phoneEnc: row.phoneEnc, email, phone });
}

export function toParticipant(row: ParticipantRow, cipher: PiiCipher, options: MapOptions): Participant {
  const { email, phone } = decrypted(row, cipher);
  return {
    id: row.id,
    event_id: row.eventId,
    identity: {
      name: row.name,
      email,
      phone: phone && options.phone === 'masked' ? maskPhone(phone) : phone,
    },
    custom_responses: row.customResponses,
    registration: {
      number: row.registrationNumber,
      timestamp: row.registrationTimestamp.toISOString(),
      source: row.source,
      status: row.registrationStatus,
      referral_code: row.referralCode,
      added_by: row.addedBy,
    },
    checkin: {
      status: row.checkinStatus,
      timestamp: row.checkinTimestamp ? row.checkinTimestamp.toISOString() : null,
      checked_by: row.checkedBy,
      device_id: row.checkinDeviceId,
    },
    consents: row.consents,
    language: row.language,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The organizer/staff view of a participant mapped with the plain phone: same object, phone masked. */
export function withMaskedPhone(participant: Participant): Participant {
  const { phone } = participant.identity;
  return phone
    ? { ...participant, identity: { ...participant.identity, phone: maskPhone(phone) } }
    : participant;
}
