import type { CustomResponses } from '@eventmanager/domain/participants/custom-responses';
import type {
  Consents,
  RegistrationSource,
  RegistrationStatus,
} from '@eventmanager/domain/participants/participant.schema';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Stored consents: the API shape (times as ISO strings). */
export type StoredConsents = Consents;

export const participants = pgTable('participants', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  name: text('name').notNull(),
  nameInitials: text('name_initials').notNull(),
  emailEnc: text('email_enc').notNull(),
  emailHash: text('email_hash').notNull(),
  phoneEnc: text('phone_enc'),
  customResponses: jsonb('custom_responses').$type<CustomResponses>().notNull(),
  consents: jsonb('consents').$type<StoredConsents>().notNull(),
  language: text('language', { enum: ['ko', 'en'] }).notNull(),
  registrationNumber: integer('registration_number').notNull(),
  registrationTimestamp: timestamp('registration_timestamp', { withTimezone: true }).notNull(),
  source: text('source').$type<RegistrationSource>().notNull(),
  referralCode: text('referral_code'),
  addedBy: uuid('added_by'),
  registrationStatus: text('registration_status', {
    enum: ['registered', 'waitlist', 'pending', 'cancelled', 'rejected'],
  }).notNull(),
  checkinStatus: text('checkin_status', { enum: ['not_checked_in', 'checked_in', 'no_show'] })
    .notNull()
    .default('not_checked_in'),
  checkinTimestamp: timestamp('checkin_timestamp', { withTimezone: true }),
  checkedBy: uuid('checked_by'),
  checkinDeviceId: text('checkin_device_id'),
  version: integer('version').notNull().default(1),
  ticketCode: text('ticket_code').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  anonymizedAt: timestamp('anonymized_at', { withTimezone: true }),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});
export type ParticipantRow = typeof participants.$inferSelect;
export type NewParticipantRow = typeof participants.$inferInsert;

export const participantSequences = pgTable('participant_sequences', {
  eventId: uuid('event_id').primaryKey(),
  lastNumber: integer('last_number').notNull(),
});

export const piiAccessLog = pgTable('pii_access_log', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id'),
  eventId: uuid('event_id'),
  participantId: uuid('participant_id'),
  action: text('action').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Organizer-only note and tags of a participant (absent until the organizer writes one). */
export const participantAnnotations = pgTable('participant_annotations', {
  participantId: uuid('participant_id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  note: text('note').notNull(),
  tags: text('tags').array().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type AnnotationRow = typeof participantAnnotations.$inferSelect;

/** Every registration status change of a participant. */
export const participantStatusHistory = pgTable('participant_status_history', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  participantId: uuid('participant_id').notNull(),
  fromStatus: text('from_status').$type<RegistrationStatus>().notNull(),
  toStatus: text('to_status').$type<RegistrationStatus>().notNull(),
  reason: text('reason').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
});
export type StatusHistoryRow = typeof participantStatusHistory.$inferSelect;
