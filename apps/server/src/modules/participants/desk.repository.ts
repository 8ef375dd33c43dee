import type { CheckinStatus, RegistrationStatus } from '@eventmanager/domain/participants/participant.schema';
import { and, asc, eq, inArray, isNotNull, isNull, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import {
  type AnnotationRow,
  type ParticipantRow,
  participantAnnotations,
  participantStatusHistory,
  participants,
  type StatusHistoryRow,
} from './participants.tables.ts';

/** The desk's tables (participant_annotations, participant_status_history) and its reads of participants. */
export const deskRepository = {
  async annotation(db: Db, participantId: string): Promise<AnnotationRow | undefined> {
    const [row] = await db
      .select()
      .from(participantAnnotations)
      .where(eq(participantAnnotations.participantId, participantId))
      .limit(1);
    return row;
  },

  async saveAnnotation(
    db: Db,
    value: {
      participantId: string;
      eventId: string;
      note: string;
      tags: string[];
      userId: string;
      now: Date;
    },
  ): Promise<AnnotationRow> {
    const set = { note: value.note, tags: value.tags, updatedBy: value.userId, updatedAt: value.now };
    const [row] = await db
      .insert(participantAnnotations)
      .values({ participantId: value.participantId, eventId: value.eventId, ...set })
      .onConflictDoUpdate({ target: participantAnnotations.participantId, set })
      .returning();
    return row!;
  },

  /** Every annotated participant's tags (and whether a note exists) of the event. */
  async annotations(
    db: Db,
    eventId: string,
  ): Promise<{ participantId: string; tags: string[]; hasNote: boolean }[]> {
    return db
      .select({
        participantId: participantAnnotations.participantId,
        tags: participantAnnotations.tags,
        hasNote: sql<boolean>`${participantAnnotations.note} <> ''`,
      })
      .from(participantAnnotations)
      .where(eq(participantAnnotations.eventId, eventId));
  },

  async idsWithTag(db: Db, eventId: string, tag: string): Promise<string[]> {
    const rows = await db
      .select({ id: participantAnnotations.participantId })
      .from(participantAnnotations)
      .where(
        and(
          eq(participantAnnotations.eventId, eventId),
          sql`${participantAnnotations.tags} @> array[${tag}]::text[]`,
        ),
      );
    return rows.map((r) => r.id);
  },

  async recordStatusChange(
    db: Db,
    change: {
      eventId: string;
      participantId: string;
      from: RegistrationStatus;
      to: RegistrationStatus;
      reason: string;
      at: Date;
    },
  ): Promise<void> {
    await db.insert(participantStatusHistory).values({
      eventId: change.eventId,
      participantId: change.participantId,
      fromStatus: change.from,
      toStatus: change.to,
      reason: change.reason,
      changedAt: change.at,
    });
  },

  async statusHistory(db: Db, participantId: string): Promise<StatusHistoryRow[]> {
    return db
      .select()
      .from(participantStatusHistory)
      .where(eq(participantStatusHistory.participantId, participantId))
      .orderBy(asc(participantStatusHistory.changedAt), asc(participantStatusHistory.id));
  },

  /** The encrypted phones of the event's live participants (the phone search decrypts them). */
  async phones(db: Db, eventId: string): Promise<{ id: string; phoneEnc: string }[]> {
    const rows = await db
      .select({ id: participants.id, phoneEnc: participants.phoneEnc })
      .from(participants)
      .where(
        and(
          eq(participants.eventId, eventId),
          isNull(participants.deletedAt),
          isNotNull(participants.phoneEnc),
        ),
      );
    return rows as { id: string; phoneEnc: string }[];
  },

  /**
   * Who a message goes to: the chosen live participants, or every live one matching the filters —
   * without a status filter, everyone but the cancelled and rejected. Anonymised people never.
   */
  async audience(
    db: Db,
    eventId: string,
    audience:
      | { ids: string[] }
      | {
          status?: RegistrationStatus | undefined;
          checkin?: CheckinStatus | undefined;
          tag?: string | undefined;
        },
  ): Promise<ParticipantRow[]> {
    const conditions: (SQL | undefined)[] = [
      eq(participants.eventId, eventId),
      isNull(participants.deletedAt),
      isNull(participants.anonymizedAt),
    ];
    if ('ids' in audience) {
      conditions.push(inArray(participants.id, audience.ids));
    } else {
      conditions.push(
        audience.status
          ? eq(participants.registrationStatus, audience.status)
          : notInArray(participants.registrationStatus, ['cancelled', 'rejected']),
      );
      if (audience.checkin) conditions.push(eq(participants.checkinStatus, audience.checkin));
      if (audience.tag) {
        conditions.push(
          inArray(
            participants.id,
            db
              .select({ id: participantAnnotations.participantId })
              .from(participantAnnotations)
              .where(
                and(
                  eq(participantAnnotations.eventId, eventId),
                  sql`${participantAnnotations.tags} @> array[${audience.tag}]::text[]`,
                ),
              ),
          ),
        );
      }
    }
    return db
      .select()
      .from(participants)
      .where(and(...conditions))
      .orderBy(asc(participants.registrationNumber));
  },
};
