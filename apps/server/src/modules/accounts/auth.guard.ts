import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AuthContext } from '../../platform/module.ts';
import { unauthorized } from '../../platform/problem.ts';
import type { AccountsService } from './accounts.service.ts';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** preHandler used by every authenticated route of every module. */
export function createAuthenticate(accounts: AccountsService): preHandlerAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request);
    if (!token) throw unauthorized('Missing bearer token');
    const claims = await accounts.authenticate(token);
    if (!claims) throw unauthorized('Invalid or expired access token');
    request.auth = claims;
  };
}

/** The caller's identity inside a handler that ran `authenticate` (a programming error otherwise). */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorized();
  return request.auth;
}
