import { describe, expect, it } from 'vitest';
import { ApiError, normalizeErrorPath, readProblem } from './problem.ts';

describe('problem+json mapping', () => {
  it('normalises server error paths to dotted form paths', () => {
    expect(normalizeErrorPath('body.identity.email')).toBe('identity.email');
    expect(normalizeErrorPath('/registration/form_fields/0/label')).toBe('registration.form_fields.0.label');
    expect(normalizeErrorPath('registration.form_fields[1].options')).toBe(
      'registration.form_fields.1.options',
    );
  });

  it('turns a problem response into field errors', async () => {
    const res = new Response(
      JSON.stringify({
        title: 'Bad Request',
        status: 400,
        detail: 'invalid body',
        errors: [
          { path: 'identity.email', message: 'must be a valid e-mail address' },
          { path: 'identity.email', message: 'second message is ignored' },
          { path: 'custom_responses.q1', message: 'is required' },
        ],
      }),
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
    const err = new ApiError(await readProblem(res));
    expect(err.status).toBe(400);
    expect(err.message).toBe('invalid body');
    expect(err.fieldErrors).toEqual({
      'identity.email': 'must be a valid e-mail address',
      'custom_responses.q1': 'is required',
    });
  });

  it('survives a non-JSON error body', async () => {
    const problem = await readProblem(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway' });
  });
});
