import { findUnsafeText } from '@eventmanager/domain/common/safe-text';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.ts';

/**
 * Every request's path parameters, query and body (JSON or text) obey the domain's safe-text rule
 * before any schema or handler sees them: a NUL character or an unpaired surrogate can be neither
 * stored nor e-mailed, and without this check it would surface deep down as a database error (a 500)
 * instead of a 400 naming the field.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const found =
      findUnsafeText(request.params, 'params') ??
      findUnsafeText(request.query, 'querystring') ??
      findUnsafeText(request.body);
    if (!found) return done();
    done(
      new HttpProblem(400, 'The request contains text that cannot be stored', {
        code: 'invalid_text',
        errors: [{ path: found.path || 'body', message: found.message }],
      }),
    );
  });
}
