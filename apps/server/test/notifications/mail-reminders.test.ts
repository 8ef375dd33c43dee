import type { CreateEventBody } from '@eventmanager/domain/events/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountsService } from '../../src/modules/accounts/accounts.service.ts';
import { createSmtpTransport } from '../../src/modules/notifications/mail-transport.ts';
import { createMailScheduler } from '../../src/modules/notifications/notifications.scheduler.ts';
import { createMailWorker } from '../../src/modules/notifications/notifications.worker.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { bookClub, codeOf, createEvent, publish } from '../events/fixtures.ts';
import { createTestContext, signupUser, type TestContext, uniqueEmail } from '../helpers/test-app.ts';
import { registerOk } from '../participants/fixtures.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-05-01T00:00:00Z');

describe('reminder scheduling on a controllable clock, across time zones', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await ctx?.close();
  });

  const db = () => ctx.platform.database.db;
  async function runWorker() {
    const transport = createSmtpTransport(sink.url, { maxConnections: 2 });
    const scheduler = createMailScheduler({
      db: db(),
      accounts: createAccountsService(ctx.platform, { publicUrl: ctx.config.publicUrl }),
      publicUrl: ctx.config.publicUrl,
    });
    const worker = createMailWorker({
      db: db(),
      clock,
      transport,
      mailFrom: 'eventManager <no-reply@eventmanager.test>',
      publicUrl: ctx.config.publicUrl,
      ratePerSecond: 1000,
      tick: scheduler.tick,
      tickEveryMs: 0,
    });
    await worker.drain();
    await transport.close();
  }
  async function eventWithPeople(
    name: string,
    startMs: number,
    timezone: string,
    people: { email: string; language: 'ko' | 'en' }[],
  ) {
    // A fresh login at the current (manual) time: access tokens expire as the clock jumps ahead.
    const organizerToken = (await signupUser(ctx.app)).token;
    const body: CreateEventBody = bookClub({
      name,
      datetime: { start: new Date(startMs).toISOString(), end: null, timezone },
      registration: { deadline: null, requires_approval: false, form_fields: [] },
    });
    const event = await publish(
      ctx.app,
      organizerToken,
      (await createEvent(ctx.app, organizerToken, body)).id,
    );
    for (const p of people) {
      await registerOk(ctx.app, codeOf(event), {
        identity: { name: p.language === 'ko' ? '홍길동' : 'Sam Lee', email: p.email },
        custom_responses: {},
        consents: { privacy: true },
        language: p.language,
      });
    }
    return event;
  }
  const reminders = (eventId: string) =>
    queryRows<{ type: string; recipient: string; status: string }>(
      db(),
      sql`select type, recipient, status from email_queue
          where event_id = ${eventId}::uuid and type in ('reminder_1d', 'reminder_3h') order by type, recipient`,
    );
  const subjectsTo = (email: string) =>
    sink.received.filter((m) => m.envelopeTo.includes(email)).map((m) => m.parsed.subject);
  const textTo = (email: string, subject: string) =>
    sink.received.find((m) => m.envelopeTo.includes(email) && m.parsed.subject === subject)?.parsed.text ??
    '';

  it('sends the 1-day reminder between 23 and 25 hours before and the 3-hour reminder, each exactly once', async () => {
    const seoulKo = uniqueEmail('seoul');
    const seoulEn = uniqueEmail('seoul-en');
    const nyEn = uniqueEmail('ny');
    // 09:00 in Seoul on 3 May; 21:00 in New York on 2 May (one hour later in absolute time).
    const seoul = await eventWithPeople('서울 개발자 밋업', T0 + 48 * HOUR, 'Asia/Seoul', [
      { email: seoulKo, language: 'ko' },
      { email: seoulEn, language: 'en' },
    ]);
    const ny = await eventWithPeople('New York Book Club', T0 + 49 * HOUR, 'America/New_York', [
      { email: nyEn, language: 'en' },
    ]);

    await runWorker(); // 48 h before: too early for anything
    expect(await reminders(seoul.id)).toEqual([]);

    clock.set(T0 + 23.5 * HOUR); // Seoul 24.5 h away (in the window), New York 25.5 h (not yet)
    await runWorker();
    expect((await reminders(seoul.id)).map((r) => [r.type, r.status])).toEqual([
      ['reminder_1d', 'sent'],
      ['reminder_1d', 'sent'],
    ]);
    expect(await reminders(ny.id)).toEqual([]);

    clock.set(T0 + 24.5 * HOUR); // Seoul still in its window: nothing again. New York enters it.
    await runWorker();
    clock.set(T0 + 25.9 * HOUR);
    await runWorker();
    expect((await reminders(seoul.id)).filter((r) => r.type === 'reminder_1d')).toHaveLength(2);
    expect((await reminders(ny.id)).map((r) => [r.type, r.status])).toEqual([['reminder_1d', 'sent']]);

    expect(subjectsTo(seoulKo)).toContain('[내일] 서울 개발자 밋업 참가 안내');
    expect(textTo(seoulKo, '[내일] 서울 개발자 밋업 참가 안내')).toContain(
      '2026년 5월 3일 일 오전 9:00 GMT+9',
    );
    expect(textTo(seoulEn, 'Tomorrow: 서울 개발자 밋업')).toContain('Sun, May 3, 2026 at 9:00 AM GMT+9');
    expect(textTo(nyEn, 'Tomorrow: New York Book Club')).toContain('Sat, May 2, 2026 at 9:00 PM EDT');

    clock.set(T0 + 45.5 * HOUR); // Seoul 2.5 h away, New York 3.5 h
    await runWorker();
    expect((await reminders(seoul.id)).filter((r) => r.type === 'reminder_3h')).toHaveLength(2);
    expect((await reminders(ny.id)).filter((r) => r.type === 'reminder_3h')).toHaveLength(0);
    clock.set(T0 + 46.5 * HOUR);
    await runWorker();
    clock.set(T0 + 47.5 * HOUR);
    await runWorker();
    expect((await reminders(seoul.id)).filter((r) => r.type === 'reminder_3h')).toHaveLength(2);
    expect((await reminders(ny.id)).filter((r) => r.type === 'reminder_3h')).toHaveLength(1);

    for (const email of [seoulKo, seoulEn, nyEn]) {
      const subjects = subjectsTo(email);
      expect(subjects.filter((s) => s?.startsWith('[내일]') || s?.startsWith('Tomorrow:'))).toHaveLength(1);
      expect(
        subjects.filter((s) => s?.startsWith('[3시간 후 시작]') || s?.startsWith('Starting in 3 hours:')),
      ).toHaveLength(1);
    }
    const soon = sink.received.find(
      (m) => m.envelopeTo.includes(nyEn) && m.parsed.subject?.startsWith('Starting'),
    );
    expect(soon!.parsed.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-qr.png']);
  });

  it('gives an event created less than 3 hours before its start one 3-hour reminder at once and no 1-day reminder', async () => {
    clock.set(T0 + 100 * HOUR);
    const email = uniqueEmail('late');
    const late = await eventWithPeople(
      '급하게 잡힌 번개 모임',
      clock.now().getTime() + 2 * HOUR,
      'Asia/Seoul',
      [{ email, language: 'ko' }],
    );
    await runWorker();
    expect(await reminders(late.id)).toEqual([{ type: 'reminder_3h', recipient: email, status: 'sent' }]);
    clock.advance(HOUR);
    await runWorker();
    expect(await reminders(late.id)).toHaveLength(1);
    expect(subjectsTo(email)).toContain('[3시간 후 시작] 급하게 잡힌 번개 모임');
  });

  it('does not send a 1-day reminder that could not go out before 23 hours ahead', async () => {
    clock.set(T0 + 200 * HOUR);
    const email = uniqueEmail('stale');
    const event = await eventWithPeople('늦은 알림 테스트', clock.now().getTime() + 24 * HOUR, 'Asia/Seoul', [
      { email, language: 'ko' },
    ]);
    // The scheduler queues the reminder, but the workers are down until 22 hours before the start.
    const scheduler = createMailScheduler({
      db: db(),
      accounts: createAccountsService(ctx.platform, { publicUrl: ctx.config.publicUrl }),
      publicUrl: ctx.config.publicUrl,
    });
    await scheduler.tick(clock.now());
    expect((await reminders(event.id)).map((r) => r.status)).toEqual(['pending']);
    clock.advance(2 * HOUR);
    await runWorker();
    expect((await reminders(event.id)).map((r) => r.status)).toEqual(['cancelled']);
    expect(subjectsTo(email).filter((s) => s?.startsWith('[내일]'))).toHaveLength(0);
  });

  it('queues a bulk send in chunks, resuming from the cursor, each recipient once', async () => {
    clock.set(T0 + 300 * HOUR);
    const people = Array.from({ length: 5 }, (_, i) => ({
      email: uniqueEmail(`chunk${i}`),
      language: 'ko' as const,
    }));
    const event = await eventWithPeople(
      '청크 테스트',
      clock.now().getTime() + 24 * HOUR,
      'Asia/Seoul',
      people,
    );
    const scheduler = createMailScheduler({
      db: db(),
      accounts: createAccountsService(ctx.platform, { publicUrl: ctx.config.publicUrl }),
      publicUrl: ctx.config.publicUrl,
      chunkSize: 2,
    });
    await scheduler.tick(clock.now());
    await scheduler.tick(clock.now());
    const queued = await reminders(event.id);
    expect(queued.map((r) => r.recipient).sort()).toEqual(people.map((p) => p.email).sort());
    const [schedule] = await queryRows<{ status: string; chunks: number; total: number }>(
      db(),
      sql`select status, chunks, total from email_schedule where event_id = ${event.id}::uuid`,
    );
    expect(schedule).toEqual({ status: 'done', chunks: 3, total: 5 });
  });
});
