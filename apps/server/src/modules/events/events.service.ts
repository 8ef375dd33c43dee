import { limitsOf } from '@eventmanager/domain/billing/plans';
import { evolveFormFields } from '@eventmanager/domain/events/form-evolution';
import {
  applyEventPatch,
  type Branding,
  type CreateEventBody,
  type Event,
  type EventDefinition,
  type EventListItem,
  eventDefinitionSchema,
  type InviteStaffBody,
  type PatchEventBody,
  type PublicEvent,
  type StaffMember,
} from '@eventmanager/domain/events/schema';
import { canTransition, PUBLICLY_VISIBLE_STATUSES } from '@eventmanager/domain/events/status';
import type { z } from 'zod';
import { runHooks } from '../../platform/hooks.ts';
import type { ModuleDeps } from '../../platform/module.ts';
import { badRequest, conflict, HttpProblem, notFound } from '../../platform/problem.ts';
import { planLimitError } from '../billing/billing.api.ts';
import { invalidateEventAccess, requireEventRowAccess } from './events.access.ts';
import { buildEventIcs, calendarLinks } from './events.calendar.ts';
import { publicUrl, toEvent } from './events.mapper.ts';
import {
  deleteStaff,
  findEventRowByShareCode,
  insertEvent,
  insertStaff,
  listDashboard,
  listStaff,
  lockEventRow,
  softDeleteEvent,
  updateEventRow,
} from './events.repository.ts';
import type { EventRow, EventStaffRow, NewEventRow } from './events.tables.ts';
import { createPublicViewCache } from './public-view.cache.ts';
import { newShareCode } from './share-code.ts';

const SHARE_CODE_ATTEMPTS = 5;

/** The editable definition as stored, in the shape create accepts and patches merge onto. */
function definitionOf(row: EventRow): EventDefinition {
  const e = toEvent(row);
  return {
    name: e.name,
    description: e.description,
    language: e.language,
    location: e.location,
    datetime: e.datetime,
    capacity: e.capacity,
    registration: {
      deadline: e.registration.deadline,
      requires_approval: e.registration.requires_approval,
      form_fields: e.registration.form_fields,
    },
    privacy: e.privacy,
    features: e.features,
    branding: e.branding,
  };
}

function columnsOf(
  d: EventDefinition,
): Omit<NewEventRow, 'organizerId' | 'shareCode' | 'language' | 'retiredFormFields'> {
  return {
    name: d.name,
    description: d.description,
    location: {
      type: d.location.type,
      address: d.location.address ?? null,
      coordinates: d.location.coordinates ?? null,
      online_link: d.location.online_link ?? null,
    },
    startsAt: new Date(d.datetime.start),
    endsAt: d.datetime.end ? new Date(d.datetime.end) : null,
    timezone: d.datetime.timezone,
    maxParticipants: d.capacity.max_participants ?? null,
    waitlistEnabled: d.capacity.waitlist_enabled,
    deadline: d.registration.deadline ? new Date(d.registration.deadline) : null,
    requiresApproval: d.registration.requires_approval,
    formFields: d.registration.form_fields,
    privacy: d.privacy,
    features: d.features,
    branding: d.branding ?? null,
  };
}

function validationProblem(error: z.ZodError): HttpProblem {
  return badRequest(
    'The request did not pass validation',
    error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare values this way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Top-level keys of the API event whose value differs (updated_at aside). */
function changedKeys(before: Event, after: Event): (keyof Event)[] {
  return (Object.keys(after) as (keyof Event)[]).filter(
    (k) => k !== 'updated_at' && canonical(before[k]) !== canonical(after[k]),
  );
}

/** Drafts are never public; a cancelled event stays reachable only if it was ever published. */
function isPubliclyVisible(row: EventRow): boolean {
  return (
    PUBLICLY_VISIBLE_STATUSES.includes(row.status) || (row.status === 'cancelled' && row.publishedAt !== null)
  );
}

export function createEventsService({ platform, accounts, hooks, plans }: ModuleDeps) {
  const { database, cache, bus, clock } = platform;
  const db = database.db;
  const publicViews = createPublicViewCache(cache);

  /**
   * Branding (logo, colour) and a custom domain are plan features: refused with `plan_limit` naming
   * the plan that includes them. `eventId` for an existing event, whose one-event purchase counts.
   */
  async function assertBrandingAllowed(userId: string, branding: Branding, eventId?: string): Promise<void> {
    if (!plans.enforced) return;
    const tier = eventId
      ? await plans.tierForEvent({ id: eventId, organizer_id: userId })
      : await plans.tierOf(userId);
    const limits = limitsOf(tier);
    if (!limits.branding) throw planLimitError('branding', tier);
    if (branding.custom_domain && !limits.custom_domain) throw planLimitError('custom_domain', tier);
  }

  async function toStaffMembers(rows: EventStaffRow[]): Promise<StaffMember[]> {
    const users = new Map((await accounts.getUsers(rows.map((r) => r.userId))).map((u) => [u.id, u]));
    return rows.flatMap((r) => {
      const user = users.get(r.userId);
      if (!user) return [];
      return [
        {
          event_id: r.eventId,
          user_id: r.userId,
          role: r.role,
          email: user.email,
          name: user.profile.name,
          invited_by: r.invitedBy,
          created_at: r.createdAt.toISOString(),
        },
      ];
    });
  }

  return {
    async create(userId: string, body: EventDefinition): Promise<Event> {
      const organizer = await accounts.getMe(userId);
      if (body.branding) await assertBrandingAllowed(userId, body.branding);
      const now = clock.now();
      for (let attempt = 0; attempt < SHARE_CODE_ATTEMPTS; attempt++) {
        const row = await insertEvent(db, {
          ...columnsOf(body),
          organizerId: userId,
          language: body.language ?? organizer.preferences.language,
          retiredFormFields: [],
          shareCode: newShareCode(),
          createdAt: now,
          updatedAt: now,
        });
        if (row) return toEvent(row);
      }
      throw new Error('Could not draw an unused share code');
    },

    async list(userId: string): Promise<EventListItem[]> {
      return (await listDashboard(db, userId)).map((r) => ({
        ...toEvent(r.row),
        role: r.role,
        participant_count: r.participantCount,
        checked_in_count: r.checkedInCount,
      }));
    },

    async get(userId: string, eventId: string): Promise<Event> {
      const { row } = await requireEventRowAccess(db, eventId, userId, 'read');
      return toEvent(row);
    },

    /**
     * Applies a patch atomically: the row is locked, the merged definition validated as a whole,
     * the status moved through the state machine, the lifecycle hooks run in the same transaction;
     * caches are dropped and `event_updated` published only after the commit.
     */
    async patch(userId: string, eventId: string, body: PatchEventBody): Promise<Event> {
      if (body.branding) {
        // Access first (strangers 404, staff 403), then the tier; outside the transaction because
        // the accounts service reads through its own connection (PGlite has only one).
        await requireEventRowAccess(db, eventId, userId, 'manage');
        await assertBrandingAllowed(userId, body.branding, eventId);
      }
      const outcome = await db.transaction(async (tx) => {
        await requireEventRowAccess(tx, eventId, userId, 'manage');
        const row = await lockEventRow(tx, eventId);
        const before = toEvent(row);
        const to = body.status ?? row.status;
        if (to !== row.status && !canTransition(row.status, to)) {
          throw conflict(`An event cannot move from ${row.status} to ${to}`, 'illegal_status_transition');
        }
        const merged = eventDefinitionSchema.safeParse(applyEventPatch(definitionOf(row), body));
        if (!merged.success) throw validationProblem(merged.error);
        const form = evolveFormFields(
          row.formFields,
          row.retiredFormFields,
          merged.data.registration.form_fields,
          row.status !== 'draft',
        );
        if (!form.ok) {
          throw conflict(
            `Field "${form.fieldId}" may already have answers as ${form.from}; add a new field instead of changing it to ${form.to}`,
            'form_field_type_changed',
          );
        }
        const now = clock.now();
        const candidate: EventRow = {
          ...row,
          ...columnsOf(merged.data),
          language: merged.data.language ?? row.language,
          formFields: form.formFields,
          retiredFormFields: form.retiredFormFields,
          status: to,
          publishedAt: row.publishedAt ?? (to === 'published' ? now : null),
        };
        const keys = changedKeys(before, toEvent(candidate));
        if (keys.length === 0) return { event: before, changes: undefined, code: row.shareCode };
        const {
          id: _id,
          organizerId: _o,
          shareCode: _s,
          createdAt: _c,
          deletedAt: _d,
          ...values
        } = candidate;
        const updated = await updateEventRow(tx, eventId, { ...values, updatedAt: now });
        if (!updated) throw notFound('Event');
        const after = toEvent(updated);
        if (to !== row.status)
          await runHooks(hooks.eventStatusChanged, tx, { eventId, from: row.status, to });
        const fields = keys.filter((k) => k !== 'status');
        if (fields.length > 0) await runHooks(hooks.eventUpdated, tx, { eventId, fields });
        const changes: Partial<Event> = { updated_at: after.updated_at };
        for (const k of keys) Object.assign(changes, { [k]: after[k] });
        return { event: after, changes, code: row.shareCode };
      });
      if (outcome.changes) {
        await publicViews.invalidate(outcome.code);
        await bus.publish(`event:${eventId}`, { type: 'event_updated', eventId, changes: outcome.changes });
      }
      return outcome.event;
    },

    async remove(userId: string, eventId: string): Promise<void> {
      const { row } = await requireEventRowAccess(db, eventId, userId, 'manage');
      if (!(await softDeleteEvent(db, eventId, clock.now()))) throw notFound('Event');
      await invalidateEventAccess(eventId);
      await publicViews.invalidate(row.shareCode);
    },

    async inviteStaff(userId: string, eventId: string, body: InviteStaffBody): Promise<StaffMember> {
      const { row } = await requireEventRowAccess(db, eventId, userId, 'manage');
      const invitee = await accounts.findUserByEmail(body.email);
      if (!invitee) {
        throw new HttpProblem(
          404,
          'No account uses this e-mail; ask them to sign up first, then invite them',
          {
            code: 'user_not_found',
          },
        );
      }
      if (invitee.id === row.organizerId) {
        throw conflict('The organizer already has full access to this event', 'already_organizer');
      }
      const tier = await plans.tierForEvent({ id: eventId, organizer_id: row.organizerId });
      const allowed = limitsOf(tier).staff_per_event;
      // Counted and inserted under the event's row lock: two invitations at once cannot both take
      // the last seat of the plan.
      const staff = await db.transaction(async (tx) => {
        await lockEventRow(tx, eventId);
        const current = await listStaff(tx, eventId);
        if (current.some((s) => s.userId === invitee.id)) return undefined;
        if (plans.enforced && allowed !== null && current.length + 1 > allowed) {
          throw planLimitError('staff_per_event', tier, current.length + 1);
        }
        return insertStaff(tx, { eventId, userId: invitee.id, invitedBy: userId });
      });
      if (!staff) throw conflict('This person is already staff on this event', 'already_staff');
      const [member] = await toStaffMembers([staff]);
      if (!member) throw notFound('User');
      return member;
    },

    async listStaff(userId: string, eventId: string): Promise<StaffMember[]> {
      await requireEventRowAccess(db, eventId, userId, 'read');
      return toStaffMembers(await listStaff(db, eventId));
    },

    async removeStaff(userId: string, eventId: string, staffUserId: string): Promise<void> {
      await requireEventRowAccess(db, eventId, userId, 'manage');
      if (!(await deleteStaff(db, eventId, staffUserId))) throw notFound('Staff member');
      await invalidateEventAccess(eventId);
    },

    /**
     * What anyone with the link sees. Cached 15 minutes per code (the registration page is the
     * busiest read); every update and the delete invalidate it after their commit.
     */
    async publicView(code: string): Promise<PublicEvent> {
      const cached = await publicViews.lookup(code);
      if (cached.view) return cached.view;
      const row = await findEventRowByShareCode(db, code);
      if (!row || !isPubliclyVisible(row)) throw notFound('Event');
      const organizer = await accounts.getMe(row.organizerId);
      const { organizer_id: _o, registration, ...event } = toEvent(row);
      const view: PublicEvent = {
        ...event,
        registration: {
          deadline: registration.deadline,
          requires_approval: registration.requires_approval,
          form_fields: registration.form_fields,
        },
        organizer: { name: organizer.profile.name, organization: organizer.profile.organization ?? null },
        calendar_links: calendarLinks(event, publicUrl(), row.shareCode),
      };
      await publicViews.store(code, cached.generation, view);
      return view;
    },

    async calendar(code: string): Promise<string> {
      const view = await this.publicView(code);
      return buildEventIcs(view, publicUrl(), clock.now());
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
export type { CreateEventBody };
