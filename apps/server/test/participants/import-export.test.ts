import type { ImportResult } from '@eventmanager/domain/participants/participant.schema';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/database.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { listAll, NOW, publishedEvent, registerOk, registration } from './fixtures.ts';

let ctx: TestContext;
let organizer: { token: string; userId: string };

beforeAll(async () => {
  ctx = await createTestContext({ clock: new ManualClock(NOW) });
  organizer = await signupUser(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

const importCsv = (eventId: string, csv: string) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/participants/import`,
    headers: { ...bearer(organizer.token), 'content-type': 'text/csv; charset=utf-8' },
    payload: csv,
  });

const CSV = [
  '\uFEFF이름,이메일,연락처,회사,티셔츠,관심 주제,뉴스레터,메모',
  '홍길동,hong@example.com,01012345678,네이버,M,AI;DB,예,무시됨',
  '김사라,SARA@example.com,+82 10 2222 3333,카카오,,,,',
  '이민수,not-an-email,,라인,,,,',
  '박지성,park@example.com,,,S,,,',
  '중복,Hong@Example.com,,쿠팡,,,,',
  '최지우,choi@example.com,,토스,XL,,,',
  '정우성,jung@example.com,010-9999-8888,당근,L,Web,N,',
].join('\r\n');

describe('CSV import', () => {
  it('maps headers, reports each row with its reason, applies capacity, and is idempotent', async () => {
    const { event } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    const res = await importCsv(event.id, CSV);
    expect(res.statusCode).toBe(200);
    const result = res.json() as ImportResult & { ignored_columns: string[] };
    expect(result.ignored_columns).toEqual(['메모']);
    expect(result.rows.map((r) => [r.row, r.outcome, r.status ?? r.reason])).toEqual([
      [1, 'created', 'registered'],
      [2, 'created', 'registered'],
      [3, 'invalid', 'invalid_row'],
      [4, 'invalid', 'invalid_row'],
      [5, 'duplicate', 'already_registered'],
      [6, 'invalid', 'invalid_row'],
      [7, 'created', 'waitlist'],
    ]);
    expect(result.rows[2]!.errors!.map((e) => e.path)).toEqual(['identity.email']);
    expect(result.rows[3]!.errors!.map((e) => e.path)).toEqual(['custom_responses.company']);
    expect(result.rows[5]!.errors!.map((e) => e.path)).toEqual(['custom_responses.size']);
    expect(result).toMatchObject({ created: 3, duplicates: 1, invalid: 3, refused: 0 });

    const all = await listAll(ctx.app, organizer.token, event.id, '&reveal=phone');
    expect(all.map((p) => [p.registration.number, p.identity.name, p.registration.source])).toEqual([
      [1, '홍길동', 'import'],
      [2, '김사라', 'import'],
      [3, '정우성', 'import'],
    ]);
    expect(all[0]!.custom_responses).toEqual({
      company: '네이버',
      size: 'M',
      topics: ['AI', 'DB'],
      newsletter: true,
    });
    expect(all[1]!.identity).toMatchObject({ email: 'sara@example.com', phone: '010-2222-3333' });
    expect(all[0]!.registration.added_by).toBe(organizer.userId);

    const again = (await importCsv(event.id, CSV)).json() as ImportResult;
    expect(again).toMatchObject({ created: 0, duplicates: 4, invalid: 3 });
    expect(await listAll(ctx.app, organizer.token, event.id)).toHaveLength(3);
  });

  it('refuses rows beyond capacity without a waitlist, and accepts an explicit mapping', async () => {
    const { event } = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: false });
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/participants/import`,
      headers: bearer(organizer.token),
      payload: {
        csv: 'who,mail,org\n가,a@example.com,A\n나,b@example.com,B\n',
        mapping: { who: 'name', mail: 'email', org: 'custom:company' },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows.map((r: { outcome: string; reason?: string }) => r.reason ?? r.outcome)).toEqual([
      'created',
      'event_full',
    ]);
    const noEmail = await importCsv(event.id, 'who,org\n가,A\n');
    expect(noEmail.statusCode).toBe(400);
  });
});

describe('export', () => {
  it('CSV with BOM and Korean, XLSX with the same rows, both logged; staff cannot export', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    await registerOk(
      ctx.app,
      code,
      registration({
        identity: { name: '홍길동', email: 'hong.export@example.com', phone: '010-1234-5678' },
      }),
    );
    await registerOk(
      ctx.app,
      code,
      registration({
        identity: { name: '=수식', email: 'formula@example.com' },
        custom_responses: { company: '+cmd', topics: ['AI', 'Web'] },
      }),
    );
    const csvRes = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/participants/export?format=csv`,
      headers: bearer(organizer.token),
    });
    expect(csvRes.statusCode).toBe(200);
    expect(csvRes.headers['content-type']).toContain('text/csv');
    expect(csvRes.headers['content-disposition']).toContain('attachment');
    const bytes = csvRes.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = Papa.parse<string[]>(bytes.toString('utf8').slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]!.slice(0, 4)).toEqual(['등록번호', '이름', '이메일', '전화번호']);
    expect(parsed[0]).toContain('회사');
    expect(parsed[1]!.slice(0, 4)).toEqual(['1', '홍길동', 'hong.export@example.com', '010-1234-5678']);
    expect(parsed[2]![1]).toBe("'=수식");
    expect(parsed[2]).toContain("'+cmd");
    expect(parsed[2]).toContain('AI; Web');

    const xlsxRes = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/participants/export?format=xlsx`,
      headers: bearer(organizer.token),
    });
    expect(xlsxRes.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxRes.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(2).value).toBe('이름');
    expect(sheet.getRow(2).getCell(2).value).toBe('홍길동');
    expect(sheet.getRow(2).getCell(4).value).toBe('010-1234-5678');
    expect(sheet.rowCount).toBe(3);

    const log = await queryRows<{ action: string; user_id: string }>(
      ctx.platform.database.db,
      sql`select action, user_id from pii_access_log where event_id = ${event.id} order by created_at`,
    );
    expect(log.map((l) => l.action).sort()).toEqual(['export_csv', 'export_xlsx']);
    expect(log.every((l) => l.user_id === organizer.userId)).toBe(true);

    // The exported file imports back into another event: everyone is found, answers intact.
    const other = await publishedEvent(ctx.app, organizer.token);
    const back = (await importCsv(other.event.id, bytes.toString('utf8'))).json() as ImportResult;
    expect(back).toMatchObject({ created: 2, invalid: 0 });
    const imported = await listAll(ctx.app, organizer.token, other.event.id);
    expect(imported.map((p) => p.identity.name)).toEqual(['홍길동', '=수식']);
    expect(imported[1]!.custom_responses).toMatchObject({ company: '+cmd', topics: ['AI', 'Web'] });
  });
});
