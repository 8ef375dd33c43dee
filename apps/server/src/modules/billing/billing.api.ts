import type { Tier } from '@eventmanager/domain/accounts/schema';
import {
  type AddonId,
  type LimitName,
  limitsOf,
  PLAN_ORDER,
  type PlanLimitProblem,
  type PlanLimits,
  planLifting,
} from '@eventmanager/domain/billing/plans';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { HttpProblem } from '../../platform/problem.ts';
import { billingRepository } from './billing.repository.ts';

/**
 * The billing module's contract with the others (docs/MODULES.md): which plan governs an account or
 * an event, and the one refusal every module answers when a plan does not allow something.
 */

/** Reads an account's tier (the accounts module's `tier`, kept equal to the live subscription). */
export type TierReader = (userId: string) => Promise<Tier>;

const higher = (a: Tier, b: Tier): Tier => (PLAN_ORDER.indexOf(a) >= PLAN_ORDER.indexOf(b) ? a : b);

/** 403 `plan_limit`: the limit's name, what the current plan allows and the cheapest plan that lifts it. */
export function planLimitError(limit: LimitName, current: Tier, wanted = 1): HttpProblem {
  const allowed = limitsOf(current)[limit];
  const plan = planLifting(limit, wanted, current);
  const extensions: Omit<PlanLimitProblem, 'code'> = { limit, plan, current_plan: current, allowed };
  const detail =
    typeof allowed === 'number'
      ? `The ${current} plan allows ${allowed} (${limit.replaceAll('_', ' ')})${plan ? `; ${plan} lifts it` : ''}`
      : `The ${current} plan does not include ${limit.replaceAll('_', ' ')}${plan ? `; ${plan} does` : ''}`;
  return new HttpProblem(403, detail, { code: 'plan_limit', extensions });
}

export interface PlanGate {
  /** False when limits are switched off for load tests and benchmarks (`PLAN_LIMITS=off`). */
  enforced: boolean;
  /** The account's own plan. */
  tierOf(userId: string): Promise<Tier>;
  /** The plan governing an event: its organizer's, or basic_premium while a one-event purchase lifts it. */
  tierForEvent(event: { id: string; organizer_id: string }): Promise<Tier>;
  limitsForEvent(event: { id: string; organizer_id: string }): Promise<{ tier: Tier; limits: PlanLimits }>;
  /** Throws `plan_limit` unless the account's plan includes the add-on's prerequisite and the add-on. */
  requireAddon(userId: string, addon: AddonId): Promise<void>;
}

/**
 * Built once per app from the accounts module's tier reader. Reads go through `db` outside any
 * caller transaction: call it before opening one (the embedded engine has a single connection).
 */
export function createPlanGate(deps: {
  db: Db;
  clock: Clock;
  tierOf: TierReader;
  enforced?: boolean;
}): PlanGate {
  const { db, clock, tierOf } = deps;
  const enforced = deps.enforced ?? true;
  async function tierForEvent(event: { id: string; organizer_id: string }): Promise<Tier> {
    const own = await tierOf(event.organizer_id);
    if (own !== 'free') return own;
    const perEvent = await billingRepository.liveEventSubscriptions(db, event.id, clock.now());
    return perEvent.reduce<Tier>((tier, s) => higher(tier, s.plan), own);
  }
  return {
    enforced,
    tierOf,
    tierForEvent,
    async limitsForEvent(event) {
      const tier = await tierForEvent(event);
      return { tier, limits: limitsOf(tier) };
    },
    async requireAddon(userId, addon) {
      if (!enforced) return;
      const tier = await tierOf(userId);
      if (!limitsOf(tier).addons) throw planLimitError('addons', tier);
      const live = await billingRepository.livePlanSubscription(db, userId);
      if (!live?.addons.includes(addon)) throw planLimitError('addons', tier);
    },
  };
}
