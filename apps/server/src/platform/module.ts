import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.ts';
import type { AccountsService } from '../modules/accounts/accounts.service.ts';
import type { PlanGate } from '../modules/billing/billing.api.ts';
import type { LifecycleHooks } from './hooks.ts';
import type { Platform } from './platform.ts';

/** What every capability module's plugin receives from buildApp. */
export interface ModuleDeps {
  config: Config;
  platform: Platform;
  /** preHandler that verifies the bearer token and sets request.auth (401 otherwise). */
  authenticate: preHandlerAsyncHookHandler;
  /** Other modules look users up (staff invitations, organizer e-mail) through this service only. */
  accounts: AccountsService;
  /** Modules push their in-transaction reactions here; the owning module runs them. */
  hooks: LifecycleHooks;
  /** Which plan governs an account or an event (the billing module's limits). */
  plans: PlanGate;
}

export interface AuthContext {
  userId: string;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | undefined;
    /**
     * When the request arrived (app clock, epoch ms), read in the first onRequest hook — before
     * authentication or anything else can wait on the database or the cache. Sync measures device
     * clock offsets against it: a stall after arrival must not shift them.
     */
    receivedAt: number;
  }
}
