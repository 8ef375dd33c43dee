import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/database.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { NOW, publishedEvent, registerOk } from '../participants/fixtures.ts';

/**
 * Walks every operation of the OpenAPI document the server publishes (so routes added later are
 * walked too) and sends it inputs nothing may store or crash on: NUL characters, unpaired
 * surrogates, prototype keys, overlong strings, wrong types and malformed percent-encoding, in path
 * parameters, query and body, signed in as the event's organizer. No answer may be a 5xx, and no
 * table may change (row counts and latest updated_at are compared before and after).
 */

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const NUL = 'x\u0000y';
const LONE = 'Kim\uD800';
const OVERLONG = 'a'.repeat(200_000);
const UUID = '00000000-0000-4000-8000-000000000000';

let ctx: TestContext;
let token: string;
const clock = new ManualClock(NOW);
const known: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  const organizer = await signupUser(ctx.app);
  token = organizer.token;
  const { event, code } = await publishedEvent(ctx.app, token);
  const reg = await registerOk(ctx.app, code);
  const drawing = await ctx.app.inject({
    method: 'POST',
    url: `/api/events/${event.id}/drawings`,
    headers: bearer(token),
    payload: { config: { participant_pool: 'all' } },
  });
  Object.assign(known, {
    id: event.id,
    code,
    pid: reg.participant.id,
    token: reg.manage_url.split('/').pop()!,
    ticket: reg.ticket_code ?? '',
    did: (drawing.json() as { id?: string }).id ?? UUID,
    userId: organizer.userId,
  });
});
afterAll(async () => {
  await ctx?.close();
});

/** Row count and latest updated_at of every table: any write shows up here. */
async function snapshot(): Promise<Record<string, string>> {
  const db = ctx.platform.database.db;
  const tables = await queryRows<{ table_name: string; has_updated: boolean }>(
    db,
    sql`select t.table_name,
          exists (select 1 from information_schema.columns c
                   where c.table_schema = t.table_schema and c.table_name = t.table_name
                     and c.column_name = 'updated_at') as has_updated
        from information_schema.tables t
       where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
       order by t.table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name: name, has_updated } of tables) {
    const [row] = await queryRows<{ n: string; u: string | null }>(
      db,
      sql.raw(
        `select count(*)::text as n, ${has_updated ? 'max(updated_at)::text' : 'null'} as u from "${name}"`,
      ),
    );
    out[name] = `${row?.n}/${row?.u ?? '-'}`;
  }
  return out;
}

function resolve(doc: OpenApi, schema: JsonSchema | undefined): JsonSchema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && s.$ref; i++) {
    s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
  }
  const choice = s.anyOf ?? s.oneOf;
  if (choice) return resolve(doc, choice.find((c) => c.type !== 'null') ?? choice[0]);
  if (s.allOf?.length) return resolve(doc, s.allOf[0]);
  return s;
}

/** A body shaped like the schema (so validation reaches the mutated leaf), not necessarily valid. */
function sample(doc: OpenApi, raw: JsonSchema | undefined, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (depth > 6) return null;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(s.properties ?? {})) out[key] = sample(doc, prop, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(doc, s.items, depth + 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') return UUID;
      if (s.format === 'email') return 'fuzz@example.com';
      if (s.format === 'date-time') return '2030-01-01T00:00:00Z';
      if (s.format === 'uri') return 'https://example.com/x';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return s.properties ? sample(doc, { ...s, type: 'object' }, depth) : 'x';
  }
}

/** Paths of every string leaf in a sampled body. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  }
  return [];
}

function setAt(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = leaf;
  return copy;
}

function validParam(route: string, name: string): string {
  if (name === 'code' && route.includes('/tickets/')) return known.ticket!;
  if (name === 'id' && route.includes('/public/drawings/')) return known.did!;
  return known[name] ?? UUID;
}

interface Probe {
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  what: string;
}

function probesFor(doc: OpenApi, route: string, method: string, op: Operation): Probe[] {
  const params = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queries = (op.parameters ?? []).filter((p) => p.in === 'query');
  const jsonBody = op.requestBody?.content?.['application/json']?.schema;
  const hasInput = params.length > 0 || queries.length > 0 || jsonBody !== undefined;
  if (!hasInput) return [];
  const fill = (override: Record<string, string>) =>
    route.replace(/\{(\w+)\}/g, (_m, name: string) =>
      name in override ? override[name]! : encodeURIComponent(validParam(route, name)),
    );
  const base = fill({});
  const upper = method.toUpperCase();
  const body = jsonBody ? JSON.stringify(sample(doc, jsonBody)) : undefined;
  const withBody = (p: Omit<Probe, 'body' | 'contentType'>): Probe =>
    body === undefined ? p : { ...p, body, contentType: 'application/json' };
  const probes: Probe[] = [];

  for (const p of params) {
    const bad: Record<string, string> = {
      nul: encodeURIComponent(NUL),
      'lone surrogate': '%ED%A0%80',
      'bad percent-encoding': '%E0%A4%A',
      'bad escape': '%zz',
      overlong: 'a'.repeat(5_000),
      __proto__: '__proto__',
      constructor: 'constructor',
    };
    for (const [what, value] of Object.entries(bad)) {
      probes.push(
        withBody({ method: upper, url: fill({ [p.name]: value }), what: `path ${p.name}: ${what}` }),
      );
    }
  }
  const separator = base.includes('?') ? '&' : '?';
  for (const q of queries) {
    const bad: Record<string, string> = {
      nul: encodeURIComponent(NUL),
      // A URL carries UTF-8; a surrogate's bytes there are invalid UTF-8 (JSON bodies carry real ones).
      'lone surrogate': '%ED%A0%80',
      'bad escape': '%zz%',
      overlong: OVERLONG.slice(0, 20_000),
    };
    for (const [what, value] of Object.entries(bad)) {
      probes.push(
        withBody({
          method: upper,
          url: `${base}${separator}${q.name}=${value}`,
          what: `query ${q.name}: ${what}`,
        }),
      );
    }
    probes.push(
      withBody({
        method: upper,
        url: `${base}${separator}${q.name}=${encodeURIComponent(NUL)}&${q.name}=${encodeURIComponent(NUL)}`,
        what: `query ${q.name}: repeated`,
      }),
    );
  }
  if (jsonBody !== undefined) {
    const sampled = sample(doc, jsonBody);
    const leaves = stringLeaves(sampled);
    for (const leaf of leaves) {
      for (const [what, value] of [
        ['nul', NUL],
        ['lone surrogate', LONE],
        ['overlong', OVERLONG],
        ['wrong type', { nested: [1, 2] }],
      ] as const) {
        probes.push({
          method: upper,
          url: base,
          body: JSON.stringify(setAt(sampled, leaf, value)),
          contentType: 'application/json',
          what: `body ${leaf.join('.')}: ${what}`,
        });
      }
    }
    const whole: Record<string, string> = {
      'wrong type (array)': '[1,2,3]',
      'wrong type (string)': JSON.stringify(NUL),
      'wrong type (number)': '42',
      'prototype key': '{"__proto__":{"polluted":true}}',
      'constructor key': '{"constructor":{"prototype":{"polluted":true}}}',
      'nul key': `{"a\\u0000b":1}`,
      'truncated JSON': '{"a":',
    };
    for (const [what, text] of Object.entries(whole)) {
      probes.push({
        method: upper,
        url: base,
        body: text,
        contentType: 'application/json',
        what: `body: ${what}`,
      });
    }
  }
  return probes;
}

describe('fuzz over the OpenAPI document', () => {
  it('answers every bad input without a 5xx and without changing anything', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json() as OpenApi;
    const probes = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .flatMap(([method, op]) => probesFor(doc, route, method, op)),
    );
    // Every route with an input is walked (a sanity floor: the document is not empty).
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
    expect(probes.length).toBeGreaterThan(500);

    const before = await snapshot();
    const failures: string[] = [];
    for (const probe of probes) {
      const answer = await ctx.app.inject({
        method: probe.method as 'GET',
        url: probe.url,
        headers: {
          ...bearer(token),
          ...(probe.contentType ? { 'content-type': probe.contentType } : {}),
        },
        ...(probe.body !== undefined ? { payload: probe.body } : {}),
      });
      if (answer.statusCode >= 500) {
        failures.push(
          `${probe.method} ${probe.url.slice(0, 120)} (${probe.what}) → ${answer.statusCode} ${answer.body.slice(0, 200)}`,
        );
      } else if (
        answer.statusCode >= 400 &&
        !String(answer.headers['content-type']).includes('problem+json')
      ) {
        failures.push(
          `${probe.method} ${probe.url.slice(0, 120)} (${probe.what}) → ${answer.statusCode} not problem+json`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
