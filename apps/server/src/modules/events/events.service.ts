import { ACCOUNT_LINK_PATHS } from '@eventmanager/domain/accounts/schema';
import { limitsOf } from '@eventmanager/domain/billing/plans';
import { evolveFormFields } from '@eventmanager/domain/events/form-evolution';
import {
  applyEventPatch,
  availabilityOf,
  type Branding,
  type CreateEventBody,
  type Event,
  type EventDefinition,
  type EventListItem,
  eventDefinitionSchema,
  type InvitationAccepted,
  type InviteStaffBody,
  type PatchEventBody,
  type PublicEvent,
  type StaffInvitation,
  type StaffMember,
} from '@eventmanager/domain/events/schema';
import { canTransition, PUBLICLY_VISIBLE_STATUSES } from '@eventmanager/domain/events/status';
import type { z } from 'zod';
import { runHooks } from '../../platform/hooks.ts';
import type { ModuleDeps } from '../../platform/module.ts';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../../platform/problem.ts';
import type { ObjectStorage } from '../../platform/storage/storage.ts';
import { hashLinkToken, newLinkToken } from '../accounts/tokens.ts';
import { planLimitError } from '../billing/billing.api.ts';
import { enqueueMail } from '../notifications/notifications.api.ts';
import { publishAccessRevocation } from '../realtime/realtime.api.ts';
import { createCoverService } from './cover.service.ts';
import { invalidateEventAccess, requireEventRowAccess } from './events.access.ts';
import { buildEventIcs, calendarLinks } from './events.calendar.ts';
import { publicUrl, toEvent } from './events.mapper.ts';
import {
  deleteStaff,
  findEventRowByShareCode,
  getEventRow,
  insertEvent,
  insertStaff,
  listDashboard,
  listStaff,
  lockEventRow,
  registeredCount,
  softDeleteEvent,
  updateEventRow,
} from './events.repository.ts';
import type { EventRow, EventStaffRow, NewEventRow, StaffInvitationRow } from './events.tables.ts';
import {
  findInvitation,
  findInvitationByToken,
  listOpenInvitations,
  lockInvitationByToken,
  setInvitationStatus,
  upsertOpenInvitation,
} from './invitations.repository.ts';
import { createPublicViewCache } from './public-view.cache.ts';
import { newShareCode } from './share-code.ts';

const SHARE_CODE_ATTEMPTS = 5;
/** An invitation link works for 7 days; the organizer can resend it (a new link, 7 more days). */
const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function toInvitation(row: StaffInvitationRow): StaffInvitation {
  return {
    id: row.id,
    event_id: row.eventId,
    email: row.email,
    role: row.role,
    status: row.status,
    invited_by: row.invitedBy,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    accepted_at: row.acceptedAt ? row.acceptedAt.toISOString() : null,
  };
}

const invitationGone = () =>
  new HttpProblem(404, 'This invitation link is invalid, was revoked, or was already used', {
    code: 'invitation_not_found',
  });

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
      phone: e.registration.phone,
    },
    privacy: e.privacy,
    features: e.features,
    branding: e.branding,
    contact: e.contact,
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
    phoneField: d.registration.phone,
    privacy: d.privacy,
    features: d.features,
    branding: d.branding ?? null,
    contact: d.contact?.email || d.contact?.phone ? d.contact : null,
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

export function createEventsService(
  { platform, accounts, hooks, config, plans }: ModuleDeps,
  /** Where cover images are kept (createObjectStorage: DATA_DIR/uploads or an S3 bucket). */
  storage: ObjectStorage,
) {
  const { database, cache, bus, clock } = platform;
  const db = database.db;
  const publicViews = createPublicViewCache(cache);
  const covers = createCoverService({ platform, hooks }, storage, async (event, code) => {
    await publicViews.invalidate(code);
    await bus.publish(`event:${event.id}`, {
      type: 'event_updated',
      eventId: event.id,
      changes: { cover_image: event.cover_image, updated_at: event.updated_at },
    });
  });

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

  /**
   * Opens (or re-issues) the invitation of `email` and queues its e-mail, in one transaction: the
   * link exists exactly when the invitation does. The inviter is read first (the accounts service
   * reads through its own connection; PGlite has only one).
   */
  async function sendInvitation(inviterId: string, row: EventRow, email: string): Promise<StaffInvitation> {
    const inviter = await accounts.getMe(inviterId);
    const invitee = await accounts.findUserByEmail(email);
    const now = clock.now();
    const link = newLinkToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const invitation = await db.transaction(async (tx) => {
      const saved = await upsertOpenInvitation(tx, {
        eventId: row.id,
        email,
        tokenHash: link.hash,
        invitedBy: inviterId,
        expiresAt,
        now,
      });
      await enqueueMail(tx, {
        type: 'staff_invitation',
        recipient: email,
        data: {
          language: invitee?.preferences.language ?? row.language,
          recipient_name: invitee?.profile.name ?? email,
          branding: null,
          link: `${config.publicUrl}${ACCOUNT_LINK_PATHS.invitation}/${link.token}`,
          expires_at: expiresAt.toISOString(),
          timezone: invitee?.preferences.timezone ?? row.timezone,
          event_name: row.name,
          inviter_name: inviter.profile.name,
        },
        scheduledAt: now,
        eventId: row.id,
      });
      return saved;
    });
    return toInvitation(invitation);
  }

  /** After commit of a change that takes event access away: sockets, then every instance's memo. */
  async function endEventAccess(
    eventId: string,
    userId: string | null,
    reason: 'staff_removed' | 'event_deleted',
  ) {
    await publishAccessRevocation(bus, { kind: 'event', eventId, userId, reason });
    await invalidateEventAccess(eventId);
  }

  return {
    uploadCover: covers.upload,
    removeCover: covers.remove,
    readCover: covers.read,

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
      await endEventAccess(eventId, null, 'event_deleted');
      await publicViews.invalidate(row.shareCode);
    },

    /**
     * Invites an address to staff the event. Nobody gets access here: the person who proves the
     * address (a verified account with that e-mail) must accept the link sent to it.
     */
    async inviteStaff(userId: string, eventId: string, body: InviteStaffBody): Promise<StaffInvitation> {
      const { row } = await requireEventRowAccess(db, eventId, userId, 'manage');
      const organizer = await accounts.getMe(row.organizerId);
      if (organizer.email === body.email) {
        throw conflict('The organizer already has full access to this event', 'already_organizer');
      }
      const holder = await accounts.findUserByEmail(body.email);
      if (holder && (await listStaff(db, eventId)).some((s) => s.userId === holder.id)) {
        throw conflict('This person is already staff on this event', 'already_staff');
      }
      // The plan's staff seats count open invitations too: the organizer cannot hand out more
      // links than the plan lets people accept.
      const tier = await plans.tierForEvent({ id: eventId, organizer_id: row.organizerId });
      const allowed = limitsOf(tier).staff_per_event;
      if (plans.enforced && allowed !== null) {
        const open = (await listOpenInvitations(db, eventId)).filter((i) => i.email !== body.email);
        const taken = (await listStaff(db, eventId)).length + open.length + 1;
        if (taken > allowed) throw planLimitError('staff_per_event', tier, taken);
      }
      return sendInvitation(userId, row, body.email);
    },

    async listInvitations(userId: string, eventId: string): Promise<StaffInvitation[]> {
      await requireEventRowAccess(db, eventId, userId, 'manage');
      return (await listOpenInvitations(db, eventId)).map(toInvitation);
    },

    /** A new link (the old one stops working) with a fresh expiry, e-mailed again. */
    async resendInvitation(userId: string, eventId: string, invitationId: string): Promise<StaffInvitation> {
      const { row } = await requireEventRowAccess(db, eventId, userId, 'manage');
      const invitation = await findInvitation(db, eventId, invitationId);
      if (invitation?.status !== 'invited') throw notFound('Invitation');
      return sendInvitation(userId, row, invitation.email);
    },

    async revokeInvitation(userId: string, eventId: string, invitationId: string): Promise<void> {
      await requireEventRowAccess(db, eventId, userId, 'manage');
      const invitation = await findInvitation(db, eventId, invitationId);
      if (!invitation || !(await setInvitationStatus(db, invitation.id, { status: 'revoked' })))
        throw notFound('Invitation');
    },

    /**
     * The invited person accepts: logged in, with a verified e-mail equal to the invited address.
     * Only now does the staff membership exist. An account that merely holds the address (signed
     * up first, never proved it) gets nothing.
     */
    async acceptInvitation(userId: string, token: string): Promise<InvitationAccepted> {
      const me = await accounts.getMe(userId);
      const now = clock.now();
      // The event's plan is read before the transaction (billing reads through its own queries).
      const peek = await findInvitationByToken(db, hashLinkToken(token));
      const invitedTo = peek ? await getEventRow(db, peek.eventId) : undefined;
      const tier = invitedTo
        ? await plans.tierForEvent({ id: invitedTo.id, organizer_id: invitedTo.organizerId })
        : undefined;
      const staffAllowed = tier ? { tier, allowed: limitsOf(tier).staff_per_event } : null;
      const outcome = await db.transaction(async (tx) => {
        const invitation = await lockInvitationByToken(tx, hashLinkToken(token));
        if (invitation?.status !== 'invited') throw invitationGone();
        if (invitation.expiresAt <= now) {
          throw new HttpProblem(410, 'This invitation has expired; ask the organizer to send it again', {
            code: 'invitation_expired',
          });
        }
        if (me.email !== invitation.email) {
          throw forbidden(
            'This invitation was sent to another e-mail address; log in with the invited address',
            'invitation_email_mismatch',
          );
        }
        if (!me.email_verified) {
          throw forbidden(
            'Confirm your e-mail address first, then accept the invitation',
            'email_not_verified',
          );
        }
        const event = await getEventRow(tx, invitation.eventId);
        if (!event) throw invitationGone();
        if (event.organizerId === userId) {
          throw conflict('The organizer already has full access to this event', 'already_organizer');
        }
        // Counted and inserted under the event's row lock: two acceptances at once cannot both
        // take the plan's last staff seat (a downgrade since the invitation may have removed it).
        await lockEventRow(tx, event.id);
        const current = await listStaff(tx, event.id);
        if (plans.enforced && staffAllowed?.allowed != null && current.length + 1 > staffAllowed.allowed) {
          throw planLimitError('staff_per_event', staffAllowed.tier, current.length + 1);
        }
        await insertStaff(tx, {
          eventId: event.id,
          userId,
          invitedBy: invitation.invitedBy ?? event.organizerId,
        });
        await setInvitationStatus(tx, invitation.id, {
          status: 'accepted',
          acceptedAt: now,
          acceptedBy: userId,
        });
        return { event };
      });
      const staff = (await listStaff(db, outcome.event.id)).filter((s) => s.userId === userId);
      const [member] = await toStaffMembers(staff);
      if (!member) throw notFound('Staff member');
      return { event_id: outcome.event.id, event_name: outcome.event.name, staff: member };
    },

    async listStaff(userId: string, eventId: string): Promise<StaffMember[]> {
      await requireEventRowAccess(db, eventId, userId, 'read');
      return toStaffMembers(await listStaff(db, eventId));
    },

    async removeStaff(userId: string, eventId: string, staffUserId: string): Promise<void> {
      await requireEventRowAccess(db, eventId, userId, 'manage');
      if (!(await deleteStaff(db, eventId, staffUserId))) throw notFound('Staff member');
      await endEventAccess(eventId, staffUserId, 'staff_removed');
    },

    /**
     * What anyone with the link sees. The event part is cached 15 minutes per code (the
     * registration page is the busiest read); every update and the delete invalidate it after
     * their commit. Availability changes with every registration and cancellation, so it is never
     * cached: the seat count is read on each request (one indexed count of the event's rows).
     */
    async publicView(code: string): Promise<PublicEvent> {
      const cached = await publicViews.lookup(code);
      let view = cached.view;
      if (!view) {
        const row = await findEventRowByShareCode(db, code);
        if (!row || !isPubliclyVisible(row)) throw notFound('Event');
        const organizer = await accounts.getMe(row.organizerId);
        const { organizer_id: _o, registration, ...event } = toEvent(row);
        view = {
          ...event,
          registration: {
            deadline: registration.deadline,
            requires_approval: registration.requires_approval,
            form_fields: registration.form_fields,
            phone: registration.phone,
          },
          organizer: { name: organizer.profile.name, organization: organizer.profile.organization ?? null },
          calendar_links: calendarLinks(event, publicUrl(), row.shareCode),
        };
        await publicViews.store(code, cached.generation, view);
      }
      return { ...view, availability: availabilityOf(view.capacity, await registeredCount(db, view.id)) };
    },

    async calendar(code: string): Promise<string> {
      const view = await this.publicView(code);
      return buildEventIcs(view, publicUrl(), clock.now());
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
export type { CreateEventBody };
