import type { Bus } from '../../platform/bus/bus.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { LifecycleHooks } from '../../platform/hooks.ts';
import type { ParticipantsContext } from './participants.context.ts';
import type { EventPlan } from './registration.rules.ts';

/** What the participants services are built from (taken from ModuleDeps once, at registration). */
export interface ParticipantsDeps {
  db: Db;
  clock: Clock;
  bus: Bus;
  hooks: LifecycleHooks;
  context: ParticipantsContext;
  /** The plan governing an event (read outside any transaction: PGlite has one connection). */
  eventPlan: (eventId: string) => Promise<EventPlan>;
}
