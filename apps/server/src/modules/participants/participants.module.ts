import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { createPiiCipher } from '../../platform/pii.ts';
import { getEvent } from '../events/events.repository.ts';
import { participantsDeskRoutes } from './desk.routes.ts';
import { configureWalkIns } from './participants.api.ts';
import { configureParticipantsContext, participantsContext } from './participants.context.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { createDeskService } from './participants.desk.ts';
import { participantsOrganizerRoutes } from './participants.routes.ts';
import { createParticipantsService } from './participants.service.ts';
import { participantsPublicRoutes } from './public.routes.ts';
import { eventPlanOf, NO_PLAN_CAP } from './registration.rules.ts';
import { createRegistrationService } from './registration.service.ts';
import { participantsTransferRoutes } from './transfer.routes.ts';
import { configureWaitlist } from './waitlist.ts';

/** Registration, participant management, self-service and tickets. */
export const participantsModule: FastifyPluginAsyncZod<ModuleDeps> = async (
  app,
  { config, platform, hooks, authenticate, plans },
) => {
  configureParticipantsContext({
    cipher: createPiiCipher(platform.secrets),
    manageKey: platform.secrets.jwtKey,
    publicUrl: config.publicUrl,
  });
  const deps: ParticipantsDeps = {
    db: platform.database.db,
    clock: platform.clock,
    bus: platform.bus,
    hooks,
    context: participantsContext(),
    async eventPlan(eventId) {
      if (!plans.enforced) return NO_PLAN_CAP;
      const event = await getEvent(platform.database.db, eventId);
      return event ? eventPlanOf(await plans.tierForEvent(event)) : NO_PLAN_CAP;
    },
  };
  configureWaitlist(deps);
  const registration = createRegistrationService(deps);
  configureWalkIns(registration.registerWalkIn);
  const participants = createParticipantsService(deps);
  // A capacity raise frees seats: the waitlist moves in the event update's own transaction.
  hooks.eventUpdated.push((tx, { eventId, fields }) => participants.onEventUpdated(tx, eventId, fields));
  const desk = createDeskService(deps, participants);
  // Every status change, whichever path made it, lands in the participant's history.
  hooks.participantStatusChanged.push((tx, change) => desk.recordStatusChange(tx, change));
  await app.register(participantsPublicRoutes, { deps, registration, participants });
  await app.register(participantsTransferRoutes, { deps, authenticate, registration });
  await app.register(participantsDeskRoutes, { authenticate, desk });
  await app.register(participantsOrganizerRoutes, { deps, authenticate, registration, participants });
};
