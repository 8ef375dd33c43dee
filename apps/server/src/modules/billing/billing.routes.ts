import {
  billingKeyBodySchema,
  cancelBodySchema,
  confirmBodySchema,
  paymentMethodSchema,
  paymentSchema,
  plansResponseSchema,
  prepareBodySchema,
  prepareResponseSchema,
  subscriptionSchema,
  subscriptionViewSchema,
} from '@eventmanager/domain/billing/plans';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { ModuleDeps } from '../../platform/module.ts';
import { createPiiCipher } from '../../platform/pii.ts';
import type { Platform } from '../../platform/platform.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { type BillingService, createBillingService, type PaymentsSetup } from './billing.service.ts';
import { startRenewalLoop } from './renewal-loop.ts';
import { createTossClient } from './toss-client.ts';

const secured = [{ bearerAuth: [] }];

function paymentsSetup(toss: ModuleDeps['config']['toss']): PaymentsSetup | null {
  if (!toss.secretKey || !toss.clientKey) return null;
  return {
    client: createTossClient({ apiUrl: toss.apiUrl, secretKey: toss.secretKey }),
    clientKey: toss.clientKey,
    testMode: toss.testMode,
    checkoutUrl: toss.checkoutUrl,
    billingAuthUrl: toss.billingAuthUrl,
  };
}

/** Builds the billing service from the configuration (the app, and the worker process's renewal loop). */
export function billingServiceOf(config: Config, platform: Platform): BillingService {
  return createBillingService({
    db: platform.database.db,
    clock: platform.clock,
    cipher: createPiiCipher(platform.secrets),
    payments: paymentsSetup(config.toss),
    publicUrl: config.publicUrl,
  });
}

export const billingModule: FastifyPluginAsyncZod<ModuleDeps & { billing?: BillingService }> = async (
  app,
  deps,
) => {
  const billing = deps.billing ?? billingServiceOf(deps.config, deps.platform);
  const { authenticate } = deps;
  deps.accounts.useSubscriptionReader(billing.summaryFor);
  if (deps.config.embeddedWorker && deps.config.env !== 'test') {
    const stop = startRenewalLoop(billing, app.log);
    app.addHook('onClose', async () => stop());
  }

  app.get(
    '/api/plans',
    {
      schema: {
        tags: ['billing'],
        summary: 'Every plan and add-on with KRW prices and limits',
        response: { 200: plansResponseSchema },
      },
    },
    async () => billing.plans(),
  );

  app.get(
    '/api/subscription',
    {
      preHandler: authenticate,
      schema: { tags: ['billing'], security: secured, response: { 200: subscriptionViewSchema } },
    },
    async (request) => billing.getSubscription(authOf(request).userId),
  );

  app.post(
    '/api/payments/prepare',
    {
      preHandler: authenticate,
      schema: {
        tags: ['billing'],
        summary: 'Stores an order with the amount computed here, for the Toss payment window',
        security: secured,
        body: prepareBodySchema,
        response: { 201: prepareResponseSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await billing.prepare(authOf(request).userId, request.body)),
  );

  app.post(
    '/api/payments/confirm',
    {
      preHandler: authenticate,
      schema: {
        tags: ['billing'],
        summary: "Confirms Toss's success redirect; repeated or concurrent confirms charge once",
        security: secured,
        body: confirmBodySchema,
        response: { 200: z.object({ subscription: subscriptionSchema, payment: paymentSchema }) },
      },
    },
    async (request) => billing.confirm(authOf(request).userId, request.body),
  );

  app.get(
    '/api/subscription/card-registration',
    {
      preHandler: authenticate,
      schema: {
        tags: ['billing'],
        summary: "What the browser needs to open Toss's card registration (customer and client key)",
        security: secured,
        response: {
          200: z.object({
            customer_key: z.string(),
            client_key: z.string(),
            billing_auth_url: z.string().nullable(),
            test_mode: z.boolean(),
          }),
        },
      },
    },
    async (request) => billing.cardRegistration(authOf(request).userId),
  );

  app.post(
    '/api/subscription/billing-key',
    {
      preHandler: authenticate,
      schema: {
        tags: ['billing'],
        summary: "Registers the card from Toss's card-registration redirect for automatic renewal",
        security: secured,
        body: billingKeyBodySchema,
        response: { 200: z.object({ payment_method: paymentMethodSchema }) },
      },
    },
    async (request) => billing.registerCard(authOf(request).userId, request.body),
  );

  app.post(
    '/api/subscription/cancel',
    {
      preHandler: authenticate,
      schema: {
        tags: ['billing'],
        summary: '`at_period_end: true` cancels at the period end; `false` resumes before it ends',
        security: secured,
        body: cancelBodySchema,
        response: { 200: z.object({ subscription: subscriptionSchema }) },
      },
    },
    async (request) => ({
      subscription: await billing.setCancelAtPeriodEnd(authOf(request).userId, request.body.at_period_end),
    }),
  );

  app.get(
    '/api/payments',
    {
      preHandler: authenticate,
      schema: {
        tags: ['billing'],
        security: secured,
        response: { 200: z.object({ items: z.array(paymentSchema) }) },
      },
    },
    async (request) => ({ items: await billing.listPayments(authOf(request).userId) }),
  );

  app.post(
    '/api/payments/webhook',
    {
      schema: {
        tags: ['billing'],
        summary: 'Toss webhook: the payment is re-read from Toss; always 200',
        body: z.unknown(),
        response: { 200: z.object({ received: z.literal(true) }) },
      },
    },
    async (request) => {
      try {
        await billing.webhook(request.body);
      } catch (err) {
        request.log.error({ err }, 'billing webhook');
      }
      return { received: true as const };
    },
  );
};
