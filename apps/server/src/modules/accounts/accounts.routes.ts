import {
  authResultSchema,
  loginBodySchema,
  passwordResetBodySchema,
  passwordResetConfirmBodySchema,
  patchMeBodySchema,
  refreshBodySchema,
  signupBodySchema,
  userSchema,
  verifyEmailBodySchema,
} from '@eventmanager/domain/accounts/schema';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { authOf } from './auth.guard.ts';

const clientOf = (request: FastifyRequest) => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
});

const secured = [{ bearerAuth: [] }];

export const accountsModule: FastifyPluginAsyncZod<ModuleDeps> = async (
  app,
  { accounts, authenticate, platform },
) => {
  app.addHook('onClose', await accounts.attachSessionMemo(platform.bus));
  app.post(
    '/api/auth/signup',
    {
      config: { limits: ['signup_ip'] },
      schema: { tags: ['auth'], body: signupBodySchema, response: { 201: authResultSchema } },
    },
    async (request, reply) => reply.code(201).send(await accounts.signup(request.body, clientOf(request))),
  );

  app.post(
    '/api/auth/login',
    {
      config: { limits: ['login_ip', 'login_email'] },
      schema: { tags: ['auth'], body: loginBodySchema, response: { 200: authResultSchema } },
    },
    async (request) => accounts.login(request.body, clientOf(request)),
  );

  app.post(
    '/api/auth/refresh',
    { schema: { tags: ['auth'], body: refreshBodySchema, response: { 200: authResultSchema } } },
    async (request) => accounts.refresh(request.body.refresh_token),
  );

  app.post(
    '/api/auth/logout',
    { preHandler: authenticate, schema: { tags: ['auth'], security: secured, response: { 204: z.null() } } },
    async (request, reply) => {
      await accounts.logout(authOf(request).sessionId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/verify-email',
    { schema: { tags: ['auth'], body: verifyEmailBodySchema, response: { 200: userSchema } } },
    async (request) => accounts.verifyEmail(request.body.token),
  );

  app.post(
    '/api/auth/verify-email/resend',
    {
      preHandler: authenticate,
      config: { limits: ['email_send_user'] },
      schema: { tags: ['auth'], security: secured, response: { 202: z.null() } },
    },
    async (request, reply) => {
      await accounts.resendVerification(authOf(request).userId);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { limits: ['password_reset_ip', 'password_reset_email'] },
      schema: { tags: ['auth'], body: passwordResetBodySchema, response: { 202: z.null() } },
    },
    async (request, reply) => {
      await accounts.requestPasswordReset(request.body.email);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    { schema: { tags: ['auth'], body: passwordResetConfirmBodySchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await accounts.confirmPasswordReset(request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      preHandler: authenticate,
      schema: { tags: ['auth'], security: secured, response: { 200: userSchema } },
    },
    async (request) => accounts.getMe(authOf(request).userId),
  );

  app.patch(
    '/api/me',
    {
      preHandler: authenticate,
      schema: { tags: ['auth'], security: secured, body: patchMeBodySchema, response: { 200: userSchema } },
    },
    async (request) => accounts.patchMe(authOf(request).userId, request.body),
  );
};
