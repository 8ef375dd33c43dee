import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findEventByShareCode,
  getEvent,
  getEventRow,
  insertEvent,
  listEventsStartingBetween,
  lockEvent,
} from '../../src/modules/events/events.repository.ts';
import { HttpProblem } from '../../src/platform/problem.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { bookClub, codeOf, createEvent, patchEvent, publish } from './fixtures.ts';

let ctx: TestContext;
let organizer: Awaited<ReturnType<typeof signupUser>>;
beforeAll(async () => {
  ctx = await createTestContext();
  organizer = await signupUser(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

const at = (iso: string) => bookClub({ datetime: { start: iso, timezone: 'Asia/Seoul' } });

describe('events repository contract (used by other modules)', () => {
  it('getEvent and findEventByShareCode return any status, never deleted events', async () => {
    const db = ctx.platform.database.db;
    const event = await createEvent(ctx.app, organizer.token);
    expect(await getEvent(db, event.id)).toEqual(event);
    expect(await findEventByShareCode(db, codeOf(event))).toEqual(event);
    expect(await findEventByShareCode(db, 'nope')).toBeUndefined();
    expect(await getEvent(db, 'not-a-uuid')).toBeUndefined();
    await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}`,
      headers: bearer(organizer.token),
    });
    expect(await getEvent(db, event.id)).toBeUndefined();
    expect(await findEventByShareCode(db, codeOf(event))).toBeUndefined();
    await expect(
      ctx.platform.database.db.transaction((tx) => lockEvent(tx, event.id)),
    ).rejects.toBeInstanceOf(HttpProblem);
  });

  it('insertEvent reports a taken share code (undefined) so create draws another', async () => {
    const db = ctx.platform.database.db;
    const event = await createEvent(ctx.app, organizer.token);
    const row = (await getEventRow(db, event.id))!;
    const { id: _id, ...copy } = row;
    expect(await insertEvent(db, copy)).toBeUndefined();
    const fresh = await insertEvent(db, { ...copy, shareCode: 'zzzzzzzzzz' });
    expect(fresh?.shareCode).toBe('zzzzzzzzzz');
  });

  it('listEventsStartingBetween returns published and in-progress events in [from, to), by start', async () => {
    const db = ctx.platform.database.db;
    const make = async (iso: string, statuses: string[]) => {
      const e = await createEvent(ctx.app, organizer.token, at(iso));
      for (const status of statuses) await patchEvent(ctx.app, organizer.token, e.id, { status });
      return e.id;
    };
    const inWindowLate = await make('2030-05-02T11:00:00Z', ['published']);
    const inWindowEarly = await make('2030-05-02T10:00:00Z', ['published', 'in_progress']);
    await make('2030-05-02T10:30:00Z', []); // draft
    await make('2030-05-02T10:45:00Z', ['cancelled']);
    await make('2030-05-02T12:00:00Z', ['published']); // at `to`: excluded
    await make('2030-05-02T09:59:59Z', ['published']); // before `from`
    const deleted = await make('2030-05-02T10:50:00Z', ['published']);
    await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${deleted}`,
      headers: bearer(organizer.token),
    });
    const found = await listEventsStartingBetween(
      db,
      new Date('2030-05-02T10:00:00Z'),
      new Date('2030-05-02T12:00:00Z'),
    );
    expect(found.map((e) => e.id)).toEqual([inWindowEarly, inWindowLate]);
  });

  it('lockEvent holds the row until the transaction ends', async () => {
    const db = ctx.platform.database.db;
    const event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => {
      releaseFirst = r;
    });
    let firstLocked!: () => void;
    const locked = new Promise<void>((r) => {
      firstLocked = r;
    });
    const order: string[] = [];
    const first = db.transaction(async (tx) => {
      await lockEvent(tx, event.id);
      firstLocked();
      await firstHolds;
      order.push('first done');
    });
    await locked;
    const second = db.transaction(async (tx) => {
      const e = await lockEvent(tx, event.id);
      order.push('second locked');
      return e;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual([]);
    releaseFirst();
    await first;
    expect((await second).id).toBe(event.id);
    expect(order).toEqual(['first done', 'second locked']);
  });
});
