import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import { isUuid } from './events.repository.ts';
import { type StaffInvitationRow, staffInvitations } from './events.tables.ts';

/** The only code that touches event_staff_invitations; every function takes a Db that may be a transaction. */

/**
 * Opens an invitation, or re-issues the open one for the same address (new token, new expiry):
 * one open invitation per event and address, decided by the partial unique index.
 */
export async function upsertOpenInvitation(
  db: Db,
  row: { eventId: string; email: string; tokenHash: string; invitedBy: string; expiresAt: Date; now: Date },
): Promise<StaffInvitationRow> {
  const [updated] = await db
    .update(staffInvitations)
    .set({ tokenHash: row.tokenHash, expiresAt: row.expiresAt, invitedBy: row.invitedBy })
    .where(
      and(
        eq(staffInvitations.eventId, row.eventId),
        eq(staffInvitations.email, row.email),
        eq(staffInvitations.status, 'invited'),
      ),
    )
    .returning();
  if (updated) return updated;
  const [inserted] = await db
    .insert(staffInvitations)
    .values({
      eventId: row.eventId,
      email: row.email,
      tokenHash: row.tokenHash,
      invitedBy: row.invitedBy,
      expiresAt: row.expiresAt,
      createdAt: row.now,
    })
    .returning();
  return inserted!;
}

export async function findInvitation(
  db: Db,
  eventId: string,
  invitationId: string,
): Promise<StaffInvitationRow | undefined> {
  if (!isUuid(invitationId)) return undefined;
  const rows = await db
    .select()
    .from(staffInvitations)
    .where(and(eq(staffInvitations.eventId, eventId), eq(staffInvitations.id, invitationId)))
    .limit(1);
  return rows[0];
}

/** The invitation a link's token names, locked for the acceptance that reads it. */
/** The invitation a link's token hash names, unlocked (a look before the accepting transaction). */
export async function findInvitationByToken(
  db: Db,
  tokenHash: string,
): Promise<StaffInvitationRow | undefined> {
  const rows = await db
    .select()
    .from(staffInvitations)
    .where(eq(staffInvitations.tokenHash, tokenHash))
    .limit(1);
  return rows[0];
}

export async function lockInvitationByToken(
  db: Db,
  tokenHash: string,
): Promise<StaffInvitationRow | undefined> {
  const rows = await db
    .select()
    .from(staffInvitations)
    .where(eq(staffInvitations.tokenHash, tokenHash))
    .for('update')
    .limit(1);
  return rows[0];
}

export async function listOpenInvitations(db: Db, eventId: string): Promise<StaffInvitationRow[]> {
  return db
    .select()
    .from(staffInvitations)
    .where(and(eq(staffInvitations.eventId, eventId), eq(staffInvitations.status, 'invited')))
    .orderBy(asc(staffInvitations.createdAt), asc(staffInvitations.id));
}

export async function setInvitationStatus(
  db: Db,
  id: string,
  patch: { status: 'accepted' | 'revoked'; acceptedAt?: Date; acceptedBy?: string },
): Promise<StaffInvitationRow | undefined> {
  const rows = await db
    .update(staffInvitations)
    .set(patch)
    .where(and(eq(staffInvitations.id, id), eq(staffInvitations.status, 'invited')))
    .returning();
  return rows[0];
}
