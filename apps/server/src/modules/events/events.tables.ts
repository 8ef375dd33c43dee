import type { FormField } from '@eventmanager/domain/events/form-field';
import type { Branding, Contact, EventFeatures, PhoneFieldSetting } from '@eventmanager/domain/events/schema';
import type { EventStatus } from '@eventmanager/domain/events/status';
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';

export interface StoredLocation {
  type: 'physical' | 'online' | 'hybrid';
  address: string | null;
  coordinates: { lat: number; lng: number } | null;
  online_link: string | null;
}

/** A cover image in the object storage: its key and pixel size. */
export interface StoredCoverImage {
  key: string;
  width: number;
  height: number;
}

export const events = pgTable('events', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizerId: uuid('organizer_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  language: text('language', { enum: ['ko', 'en'] }).notNull(),
  location: jsonb('location').$type<StoredLocation>().notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }),
  timezone: text('timezone').notNull(),
  maxParticipants: integer('max_participants'),
  waitlistEnabled: boolean('waitlist_enabled').notNull().default(false),
  deadline: timestamp('deadline', { withTimezone: true }),
  requiresApproval: boolean('requires_approval').notNull().default(false),
  formFields: jsonb('form_fields').$type<FormField[]>().notNull(),
  retiredFormFields: jsonb('retired_form_fields').$type<FormField[]>().notNull(),
  phoneField: text('phone_field').$type<PhoneFieldSetting>().notNull().default('optional'),
  status: text('status').$type<EventStatus>().notNull().default('draft'),
  privacy: text('privacy', { enum: ['public', 'private'] }).notNull(),
  features: jsonb('features').$type<EventFeatures>().notNull(),
  branding: jsonb('branding').$type<Branding>(),
  contact: jsonb('contact').$type<Contact>(),
  coverImage: jsonb('cover_image').$type<StoredCoverImage>(),
  shareCode: text('share_code').notNull().unique(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

export const eventStaff = pgTable(
  'event_staff',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['staff'] })
      .notNull()
      .default('staff'),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);
export type EventStaffRow = typeof eventStaff.$inferSelect;

/**
 * Per-event counts owned by the participants module (its migration defines the view); the events
 * module only reads it, in the dashboard's single query.
 */
export const eventParticipantCounts = pgView('event_participant_counts', {
  eventId: uuid('event_id'),
  participantCount: bigint('participant_count', { mode: 'number' }),
  checkedInCount: bigint('checked_in_count', { mode: 'number' }),
}).existing();

/** Invitations to staff an event, sent to an address; a membership exists only once accepted. */
export const staffInvitations = pgTable('event_staff_invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id')
    .notNull()
    .references(() => events.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  role: text('role', { enum: ['staff'] })
    .notNull()
    .default('staff'),
  tokenHash: text('token_hash').notNull().unique(),
  status: text('status', { enum: ['invited', 'accepted', 'revoked'] })
    .notNull()
    .default('invited'),
  invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
});
export type StaffInvitationRow = typeof staffInvitations.$inferSelect;
