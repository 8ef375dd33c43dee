import type { Tier } from '@eventmanager/domain/accounts/schema';
import { limitsOf, planLifting } from '@eventmanager/domain/billing/plans';
import type { Event } from '@eventmanager/domain/events/schema';
import type { RegistrationStatus } from '@eventmanager/domain/participants/participant.schema';

/**
 * Who is registering: the public form obeys deadline and approval; the organizer does not; a walk-in
 * (staff at the door registering someone who is standing there) is admitted even when the event is
 * full — turning away a person in front of the desk is the organizer's call, not the software's.
 */
export type RegistrationChannel = 'public' | 'organizer' | 'walk_in';

export interface Refusal {
  code: string;
  detail: string;
  /** HTTP status when not 422 (a plan limit answers 403). */
  status?: number;
  /** Extra members of the problem body (a plan limit names the limit and the plan that lifts it). */
  extensions?: Record<string, unknown>;
}

/**
 * The plan governing an event: its tier and how many participants it admits (the waitlist is not
 * counted). Read before the registering transaction; null cap = no plan limit.
 */
export interface EventPlan {
  tier: Tier;
  cap: number | null;
}
export const NO_PLAN_CAP: EventPlan = { tier: 'pro_premium', cap: null };

export function eventPlanOf(tier: Tier): EventPlan {
  return { tier, cap: limitsOf(tier).admitted_participants_per_event };
}

/** The seats the event admits now: its own capacity, bounded by its plan. */
function seatLimit(event: Event, plan: EventPlan): number | null {
  const max = event.capacity.max_participants ?? null;
  if (plan.cap === null) return max;
  return max === null ? plan.cap : Math.min(max, plan.cap);
}

/**
 * Why a full event refuses someone: its own capacity (`event_full`) or its plan's limit
 * (`plan_limit`, 403, naming the limit and the plan that lifts it) — never a silent drop.
 */
export function fullRefusal(event: Event, registeredCount: number, plan: EventPlan): Refusal {
  const max = event.capacity.max_participants ?? null;
  if (plan.cap === null || (max !== null && max <= plan.cap)) return EVENT_FULL;
  return {
    code: 'plan_limit',
    status: 403,
    detail: `The ${plan.tier} plan admits ${plan.cap} participants per event; the event is full for this plan`,
    extensions: {
      limit: 'admitted_participants_per_event',
      plan: planLifting('admitted_participants_per_event', registeredCount + 1, plan.tier),
      current_plan: plan.tier,
      allowed: plan.cap,
    },
  };
}

/** Why the event takes no registration through this channel now, or undefined when it does. */
export function eventRefusal(event: Event, now: Date, channel: RegistrationChannel): Refusal | undefined {
  switch (event.status) {
    case 'cancelled':
      return { code: 'event_cancelled', detail: 'The event was cancelled' };
    case 'completed':
      return { code: 'event_completed', detail: 'The event is over' };
    case 'draft':
      if (channel === 'public') {
        return {
          code: 'event_not_published',
          detail: 'Registration has not opened: the event is not published',
        };
      }
      break;
  }
  const deadline = event.registration.deadline;
  if (channel === 'public' && deadline && now.getTime() > new Date(deadline).getTime()) {
    return { code: 'registration_closed', detail: 'The registration deadline has passed' };
  }
  return undefined;
}

export const EVENT_FULL: Refusal = { code: 'event_full', detail: 'The event is full and has no waitlist' };

/**
 * The status a new registration gets, given how many are registered now: `pending` where the
 * organizer approves (public form only), `registered` while there is room, then `waitlist` if
 * enabled; undefined means full (refuse).
 */
export function initialStatus(
  event: Event,
  registeredCount: number,
  channel: RegistrationChannel,
  plan: EventPlan = NO_PLAN_CAP,
): RegistrationStatus | undefined {
  if (channel === 'public' && event.registration.requires_approval) return 'pending';
  if (channel === 'walk_in') return 'registered';
  return statusForRoom(event, registeredCount, plan);
}

/**
 * `registered` when there is room, `waitlist` when full with a waitlist, undefined when full. Full
 * means the event's capacity or its plan's admitted-participants limit, whichever is lower.
 */
export function statusForRoom(
  event: Event,
  registeredCount: number,
  plan: EventPlan = NO_PLAN_CAP,
): 'registered' | 'waitlist' | undefined {
  const max = seatLimit(event, plan);
  if (max === null || registeredCount < max) return 'registered';
  return event.capacity.waitlist_enabled ? 'waitlist' : undefined;
}

/** Room left for promotion from the waitlist (within the plan's limit too). */
export function roomLeft(event: Event, registeredCount: number, plan: EventPlan = NO_PLAN_CAP): number {
  const max = seatLimit(event, plan);
  if (max === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, max - registeredCount);
}

/**
 * The event's built-in phone field decides whether a phone may or must be given: `off` takes none,
 * `required` needs one. Returns the field error, or undefined when the phone fits. `phone` is
 * undefined when the input leaves it untouched (an edit), null when it is cleared or absent.
 */
export function phoneFieldError(
  event: Event,
  phone: string | null | undefined,
): { path: string; message: string } | undefined {
  const setting = event.registration.phone;
  if (setting === 'off' && phone) {
    return { path: 'identity.phone', message: 'this event does not ask for a phone number' };
  }
  if (setting === 'required' && phone === null) {
    return { path: 'identity.phone', message: 'a phone number is required for this event' };
  }
  return undefined;
}
