import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldError, HttpProblem, titleFor } from './problem.ts';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(
  reply: FastifyReply,
  status: number,
  body: {
    title?: string;
    detail?: string;
    errors?: FieldError[];
    code?: string;
    extensions?: Record<string, unknown>;
  },
): FastifyReply {
  return reply
    .code(status)
    .type(PROBLEM_TYPE)
    .send({
      ...body.extensions,
      type: 'about:blank',
      title: body.title ?? titleFor(status),
      status,
      ...(body.detail ? { detail: body.detail } : {}),
      ...(body.code ? { code: body.code } : {}),
      ...(body.errors ? { errors: body.errors } : {}),
      instance: reply.request.url.split('?')[0],
      request_id: reply.request.id,
    });
}

function pathOf(instancePath: string, context: string | undefined): string {
  const inner = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (!context || context === 'body') return inner;
  return inner ? `${context}.${inner}` : context;
}

/**
 * Errors Fastify meets before routing (a malformed percent-encoding in the URL): no hook has run, so
 * the request id and the headers every response carries are set here, and the answer is the same
 * problem+json as any other 400.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.headers({
    'x-request-id': request.id,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const detail = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not validly percent-encoded' : 'Bad request';
  sendProblem(reply, status, { detail, code: 'bad_url' });
}

/** Maps every error to RFC 9457 problem+json. Unexpected errors are logged and never leak details. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpProblem) {
      if (error.headers) reply.headers(error.headers);
      return sendProblem(reply, error.status, {
        title: error.title,
        ...(error.detail ? { detail: error.detail } : {}),
        ...(error.errors ? { errors: error.errors } : {}),
        ...(error.code ? { code: error.code } : {}),
        ...(error.extensions ? { extensions: error.extensions } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        path: pathOf(v.instancePath, error.validationContext),
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, 400, { detail: 'The request did not pass validation', errors });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const detail =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? 'The body is not valid JSON'
          : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'The body is larger than the server accepts'
            : error.message;
      return sendProblem(reply, status, { detail });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, 500, { detail: 'Something went wrong on our side. Please try again.' });
  });
}
