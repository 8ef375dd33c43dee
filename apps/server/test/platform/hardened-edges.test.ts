import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createOutboxTransport } from '../../src/modules/notifications/mail-transport.ts';
import { worksheetName } from '../../src/modules/participants/participants.export.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { resolveSecrets } from '../../src/platform/secrets.ts';
import { bookClub, createEvent } from '../events/fixtures.ts';
import { bearer, createTestContext, signupUser, type TestContext, uniqueEmail } from '../helpers/test-app.ts';
import { eventBody, NOW, publishedEvent, registerOk, registration } from '../participants/fixtures.ts';

let ctx: TestContext;
let organizer: Awaited<ReturnType<typeof signupUser>>;
const clock = new ManualClock(NOW);

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  organizer = await signupUser(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

type Injected = Awaited<ReturnType<TestContext['app']['inject']>>;
function expectProblem(res: Injected, status = 400) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as { status: number; request_id: string };
  expect(body.status).toBe(status);
  expect(body.request_id).toBe(res.headers['x-request-id']);
  return body;
}

const NUL = 'a\u0000b';
const LONE = 'Kim \uD800';

describe('security headers', () => {
  it('are on API answers, errors and the web app, with a CSP that forbids framing', async () => {
    for (const url of ['/healthz', '/api/events', '/api/nothing-here', '/', '/manage/some-token']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      // Served over plain http here: no HSTS, no upgrade of subresources.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(csp, url).not.toContain('upgrade-insecure-requests');
    }
  });

  it('add HSTS when the public address is https', async () => {
    const tls = await createTestContext({ env: { PUBLIC_URL: 'https://events.example.com' } });
    try {
      const res = await tls.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await tls.close();
    }
  });
});

describe('text that cannot be stored is a 400, never a 500', () => {
  it('refuses NUL and lone surrogates in every kind of stored text', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const reg = await registerOk(ctx.app, code);
    const token = reg.manage_url.split('/').pop()!;
    const auth = bearer(organizer.token);
    const cases: { name: string; send: () => Promise<Injected> }[] = [
      {
        name: 'event name',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: '/api/events',
            headers: auth,
            payload: bookClub({ name: NUL }),
          }),
      },
      {
        name: 'event edit',
        send: () =>
          ctx.app.inject({
            method: 'PATCH',
            url: `/api/events/${event.id}`,
            headers: auth,
            payload: { description: NUL },
          }),
      },
      {
        name: 'profile',
        send: () =>
          ctx.app.inject({
            method: 'PATCH',
            url: '/api/me',
            headers: auth,
            payload: { profile: { name: NUL } },
          }),
      },
      {
        name: 'sign-up name (lone surrogate)',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: '/api/auth/signup',
            payload: { email: uniqueEmail(), password: 'correct-horse-battery', name: LONE },
          }),
      },
      {
        name: 'sign-up e-mail',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: '/api/auth/signup',
            payload: { email: `a${NUL}@example.com`, password: 'correct-horse-battery', name: 'Kim' },
          }),
      },
      {
        name: 'registration name (lone surrogate)',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: `/api/public/events/${code}/registrations`,
            payload: registration({ identity: { name: LONE, email: uniqueEmail() } }),
          }),
      },
      {
        name: 'registration answer',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: `/api/public/events/${code}/registrations`,
            payload: registration({ custom_responses: { company: NUL } }),
          }),
      },
      {
        name: 'manage edit',
        send: () =>
          ctx.app.inject({
            method: 'PATCH',
            url: `/api/public/manage/${token}`,
            payload: { identity: { name: NUL } },
          }),
      },
      {
        name: 'organizer add',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: `/api/events/${event.id}/participants`,
            headers: auth,
            payload: { identity: { name: NUL, email: uniqueEmail() }, custom_responses: { company: 'x' } },
          }),
      },
      {
        name: 'CSV cell',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: `/api/events/${event.id}/participants/import`,
            headers: { ...auth, 'content-type': 'text/csv; charset=utf-8' },
            payload: `이름,이메일,회사\n홍${NUL},nul@example.com,네이버\n`,
          }),
      },
      {
        name: 'device id',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: `/api/events/${event.id}/sync`,
            headers: auth,
            payload: { device: { id: NUL, name: 'door' }, mutations: [], cursor: null },
          }),
      },
      {
        name: 'search q',
        send: () =>
          ctx.app.inject({
            method: 'GET',
            url: `/api/events/${event.id}/participants?q=${encodeURIComponent(NUL)}`,
            headers: auth,
          }),
      },
      {
        name: 'path parameter',
        send: () => ctx.app.inject({ method: 'GET', url: `/api/public/events/${encodeURIComponent(NUL)}` }),
      },
    ];
    for (const c of cases) {
      const body = expectProblem(await c.send());
      expect(body, c.name).toMatchObject({ status: 400 });
    }
    // Nothing was stored by any of them.
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/participants?limit=100`,
      headers: auth,
    });
    expect((list.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('refuses prototype names as form-field ids and CSV headers', async () => {
    const auth = bearer(organizer.token);
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const body = bookClub();
      body.registration!.form_fields = [{ id, type: 'text', label: 'x', required: false }];
      const res = await ctx.app.inject({ method: 'POST', url: '/api/events', headers: auth, payload: body });
      expectProblem(res);
    }
    const { event } = await publishedEvent(ctx.app, organizer.token);
    for (const header of ['__proto__', 'constructor', ' Constructor ']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/events/${event.id}/participants/import`,
        headers: { ...auth, 'content-type': 'text/csv; charset=utf-8' },
        payload: `이름,이메일,${header}\n홍길동,proto-${header}@example.com,x\n`,
      });
      expectProblem(res);
    }
    // Ordinary headers, English aliases included, still map as before.
    const plain = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/participants/import`,
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: 'name,email,company\n홍길동,plain-header@example.com,네이버\n',
    });
    expect(plain.json()).toMatchObject({ created: 1, invalid: 0 });
    // A mapping object naming a prototype key is refused the same way.
    const mapped = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/participants/import`,
      headers: auth,
      payload: { csv: '이름,이메일,x\n홍길동,m@example.com,1\n', mapping: { constructor: 'name' } },
    });
    expect(mapped.statusCode).toBe(400);
  });

  it('exports XLSX for events named History or quoted', async () => {
    for (const name of ['History', "'quoted'", "it's 'ok'", `${'가'.repeat(40)}`]) {
      const event = await createEvent(ctx.app, organizer.token, { ...eventBody(), name });
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/api/events/${event.id}/participants/export?format=xlsx`,
        headers: bearer(organizer.token),
      });
      expect(res.statusCode, name).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets[0]!.name).toBe(worksheetName(name));
    }
    expect(worksheetName('History')).toBe('Participants');
    expect(worksheetName("'quoted'")).toBe('quoted');
    expect(worksheetName('a/b:c')).toBe('a b c');
    expect(worksheetName('😀'.repeat(20))).toHaveLength(30);
  });

  it('answers a malformed percent-encoding with a problem and a request id', async () => {
    for (const url of ['/api/public/events/%E0%A4%A', '/api/events/%zz', '/%']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      const body = expectProblem(res);
      expect(body).toMatchObject({ code: 'bad_url' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('x-request-id', () => {
  it('keeps a short, plain id and replaces anything else', async () => {
    const keep = await ctx.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-42.a:b' },
    });
    expect(keep.headers['x-request-id']).toBe('trace-42.a:b');
    for (const bad of ['x'.repeat(65), 'a b', 'id\r\nInjected: yes', '<script>', 'é']) {
      const res = await ctx.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(String(res.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('URLs and tokens', () => {
  it('accepts only https URLs (http for loopback development hosts)', async () => {
    const auth = bearer(organizer.token);
    const patch = (url: string) =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: auth,
        payload: { profile: { profile_image_url: url } },
      });
    for (const bad of [
      'http://example.com/me.png',
      'javascript:alert(1)',
      'data:image/png;base64,AA',
      'ftp://x.example/a',
    ]) {
      expectProblem(await patch(bad));
    }
    expect((await patch('https://cdn.example.com/me.png')).statusCode).toBe(200);
    expect((await patch('http://localhost:5173/me.png')).statusCode).toBe(200);
    const logo = await ctx.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: auth,
      payload: bookClub({ branding: { logo_url: 'http://cdn.example.com/l.png', primary_color: '#000000' } }),
    });
    expectProblem(logo);
  });

  it('refuses an access token without expiry even when signed with the right key', async () => {
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(organizer.token) });
    expect(me.statusCode).toBe(200);
    const claims = JSON.parse(Buffer.from(organizer.token.split('.')[1]!, 'base64url').toString()) as {
      sid: string;
    };
    const forever = await new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(organizer.userId)
      .setIssuer('eventmanager')
      .setAudience('eventmanager-api')
      .setIssuedAt()
      .sign(ctx.platform.secrets.jwtKey);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(forever) });
    expectProblem(res, 401);
  });
});

describe('files with personal data', () => {
  it('are created private: database and data directories 0700, files 0600, outbox too', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'em-private-')), 'data');
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
      await resolveSecrets(config);
      const database = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
      await database.close();
      const outbox = createOutboxTransport(path.join(dataDir, 'outbox'), undefined);
      await outbox.send({
        to: 'a@example.com',
        from: 'x <x@example.com>',
        subject: 'hi',
        html: '<p>hi</p>',
        text: 'hi',
        jobId: 'job-1',
        attachments: [],
      });
      await outbox.close();
      const mode = async (p: string) => (await stat(p)).mode & 0o777;
      expect(await mode(dataDir)).toBe(0o700);
      expect(await mode(path.join(dataDir, 'secrets.json'))).toBe(0o600);
      expect(await mode(path.join(dataDir, 'outbox'))).toBe(0o700);
      const [eml] = await readdir(path.join(dataDir, 'outbox'));
      expect(await mode(path.join(dataDir, 'outbox', eml!))).toBe(0o600);
      const walk = async (dir: string): Promise<void> => {
        expect(await mode(dir), dir).toBe(0o700);
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const at = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(at);
          else if (entry.isFile()) expect(await mode(at), at).toBe(0o600);
        }
      };
      await walk(path.join(dataDir, 'pglite'));
    } finally {
      await rm(path.dirname(dataDir), { recursive: true, force: true });
    }
    // An on-disk PGlite runs initdb: slow on a busy machine.
  }, 180_000);
});
