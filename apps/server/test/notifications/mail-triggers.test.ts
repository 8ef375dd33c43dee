import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountsService } from '../../src/modules/accounts/accounts.service.ts';
import { createSmtpTransport } from '../../src/modules/notifications/mail-transport.ts';
import { createMailScheduler } from '../../src/modules/notifications/notifications.scheduler.ts';
import { createMailWorker } from '../../src/modules/notifications/notifications.worker.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { patchEvent, setTier } from '../events/fixtures.ts';
import { bearer, createTestContext, signupUser, type TestContext, uniqueEmail } from '../helpers/test-app.ts';
import { NOW, publishedEvent, register, registerOk, registration } from '../participants/fixtures.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';

describe('e-mail triggers: registration, waitlist, approval, completion', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await ctx?.close();
  });

  const db = () => ctx.platform.database.db;
  async function sendAll() {
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
    const result = await worker.drain();
    await transport.close();
    return result;
  }
  const mailsTo = (address: string) =>
    sink.received.filter((m) => m.envelopeTo.includes(address)).map((m) => m.parsed);
  /** What an organizer gets about events: the account's own e-mail (the sign-up verification) aside. */
  const eventMailsTo = (address: string) =>
    mailsTo(address).filter((m) => m.subject !== '이메일 주소를 확인해 주세요');
  const queued = (eventId: string) =>
    queryRows<{ type: string; recipient: string; status: string }>(
      db(),
      sql`select type, recipient, status from email_queue where event_id = ${eventId}::uuid order by created_at`,
    );

  it('sends the confirmation with the ticket, the .ics of the event and the manage link', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const email = uniqueEmail('kim');
    const reg = await registerOk(
      ctx.app,
      code,
      registration({ identity: { name: '김민수', email }, language: 'ko' }),
    );
    expect(await queued(event.id)).toEqual([
      { type: 'registration_confirmation', recipient: email, status: 'pending' },
    ]);

    expect((await sendAll()).sent).toBeGreaterThanOrEqual(1);
    const [mail] = mailsTo(email);
    expect(mail!.subject).toBe(`[${event.name}] 등록이 완료되었습니다`);
    expect(mail!.text).toContain('김민수님');
    expect(mail!.text).toContain(reg.ticket_code);
    expect(mail!.text).toContain(reg.manage_url);
    expect(mail!.text).toContain('2026년 4월 1일 수 오후 7:00~9:00 GMT+9');
    expect(mail!.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-qr.png']);
    const ics = mail!.attachments.find((a) => a.filename === 'event.ics')!;
    const vevent = new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent(
      'vevent',
    )!;
    expect(vevent.getFirstPropertyValue('uid')).toBe(`${event.id}@localhost:3000`);
    expect(vevent.getFirstPropertyValue('url')).toBe(event.share_url);
  });

  it('queues no e-mail when the registration is refused', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const body = registration();
    await registerOk(ctx.app, code, body);
    expect((await register(ctx.app, code, body)).statusCode).toBe(409); // same e-mail twice
    expect(await queued(event.id)).toHaveLength(1);
  });

  it('tells the waitlist, then the promoted participant when a seat frees up', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: true });
    const first = await registerOk(ctx.app, code);
    const secondEmail = uniqueEmail('wait');
    await registerOk(
      ctx.app,
      code,
      registration({ identity: { name: 'Jane Doe', email: secondEmail }, language: 'en' }),
    );
    const cancel = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}/participants/${first.participant.id}`,
      headers: bearer(organizer.token),
    });
    expect(cancel.statusCode).toBe(204);
    await sendAll();
    const mails = mailsTo(secondEmail);
    const waitlisted = mails.find((m) => m.subject === `You're on the waitlist: ${event.name}`);
    const promoted = mails.find((m) => m.subject === `A spot opened up — you're in: ${event.name}`);
    expect(mails).toHaveLength(2);
    expect(waitlisted!.attachments).toHaveLength(0);
    expect(promoted!.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-qr.png']);
  });

  it('sends the pending notice, then the approval or the rejection', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { approval: true });
    const a = uniqueEmail('approve');
    const r = uniqueEmail('reject');
    const pa = await registerOk(ctx.app, code, registration({ identity: { name: '이영희', email: a } }));
    const pr = await registerOk(ctx.app, code, registration({ identity: { name: '박철수', email: r } }));
    for (const [p, status] of [
      [pa, 'registered'],
      [pr, 'rejected'],
    ] as const) {
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/events/${event.id}/participants/${p.participant.id}`,
        headers: bearer(organizer.token),
        payload: { status },
      });
      expect(res.statusCode).toBe(200);
    }
    await sendAll();
    expect(
      mailsTo(a)
        .map((m) => m.subject)
        .sort(),
    ).toEqual([
      `[${event.name}] 참가 신청이 승인되었습니다`,
      `[${event.name}] 참가 신청이 접수되었습니다 (승인 대기)`,
    ]);
    expect(
      mailsTo(r)
        .map((m) => m.subject)
        .sort(),
    ).toEqual([
      `[${event.name}] 참가 신청 결과 안내`,
      `[${event.name}] 참가 신청이 접수되었습니다 (승인 대기)`,
    ]);
    expect(mailsTo(r).every((m) => m.attachments.length === 0)).toBe(true);
  });

  it('after completion thanks the participants and sends the organizer a summary; counts are visible to the organizer only', async () => {
    const organizer = await signupUser(ctx.app);
    await setTier(ctx.platform, organizer.userId, 'pro_premium');
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const branded = await patchEvent(ctx.app, organizer.token, event.id, {
      branding: { logo_url: 'https://cdn.example.com/logo.png', primary_color: '#0f766e' },
    });
    expect(branded.statusCode).toBe(200);
    // Check-in is not used here (it belongs to another module's tests): everyone registered is thanked.
    expect(
      (await patchEvent(ctx.app, organizer.token, event.id, { features: { checkin_enabled: false } }))
        .statusCode,
    ).toBe(200);
    const emails = [uniqueEmail('p1'), uniqueEmail('p2'), uniqueEmail('p3')];
    for (const email of emails)
      await registerOk(ctx.app, code, registration({ identity: { name: '참가자', email } }));
    await sendAll();

    for (const status of ['in_progress', 'completed']) {
      expect((await patchEvent(ctx.app, organizer.token, event.id, { status })).statusCode).toBe(200);
    }
    await sendAll();
    await sendAll(); // a second pass queues nothing more: each bulk send exists once
    for (const email of emails) {
      const subjects = mailsTo(email).map((m) => m.subject);
      expect(subjects).toEqual([
        `[${event.name}] 등록이 완료되었습니다`,
        `[${event.name}] 참석해 주셔서 감사합니다`,
      ]);
      expect(mailsTo(email)[1]!.html).toContain('https://cdn.example.com/logo.png');
      expect(mailsTo(email)[1]!.html).toContain('#0f766e');
    }
    const [summary] = eventMailsTo(organizer.email);
    expect(summary!.subject).toBe(`[${event.name}] 행사 결과 요약`);
    expect(summary!.text).toMatch(/등록: 3/);

    const stats = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/emails/stats`,
      headers: bearer(organizer.token),
    });
    expect(stats.statusCode).toBe(200);
    const body = stats.json();
    expect(body.totals).toEqual({ queued: 0, sending: 0, sent: 7, failed: 0, cancelled: 0 });
    expect(body.by_type).toEqual(
      expect.arrayContaining([
        { type: 'registration_confirmation', queued: 0, sending: 0, sent: 3, failed: 0, cancelled: 0 },
        { type: 'thank_you', queued: 0, sending: 0, sent: 3, failed: 0, cancelled: 0 },
        { type: 'organizer_summary', queued: 0, sending: 0, sent: 1, failed: 0, cancelled: 0 },
      ]),
    );
    expect(body.bulk_sends).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'thank_you', status: 'done', recipients: 3, chunks: 1 }),
        expect.objectContaining({ kind: 'organizer_summary', status: 'done', recipients: 1 }),
      ]),
    );

    const failed = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/emails?status=failed`,
      headers: bearer(organizer.token),
    });
    expect(failed.json()).toEqual({ items: [] });

    const stranger = await signupUser(ctx.app);
    const denied = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/emails/stats`,
      headers: bearer(stranger.token),
    });
    expect(denied.statusCode).toBe(404);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    const anonymous = await ctx.app.inject({ method: 'GET', url: `/api/events/${event.id}/emails` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('skips the organizer summary when the organizer turned notifications off', async () => {
    const organizer = await signupUser(ctx.app);
    const me = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(organizer.token),
      payload: { preferences: { notifications: false } },
    });
    expect(me.statusCode).toBe(200);
    const { event } = await publishedEvent(ctx.app, organizer.token);
    for (const status of ['in_progress', 'completed']) {
      expect((await patchEvent(ctx.app, organizer.token, event.id, { status })).statusCode).toBe(200);
    }
    await sendAll();
    expect(eventMailsTo(organizer.email)).toHaveLength(0);
  });

  it('shows a permanently failed e-mail to the organizer with its error, and retries it on request', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const email = uniqueEmail('bounce');
    await registerOk(ctx.app, code, registration({ identity: { name: '반송', email } }));
    sink.reply = (_n, session) =>
      session.envelope.rcptTo.some((r) => r.address === email)
        ? { accept: false, code: 550, message: 'Mailbox unavailable' }
        : { accept: true };
    await sendAll();
    const failed = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/emails?status=failed`,
      headers: bearer(organizer.token),
    });
    const items = (failed.json() as { items: { id: string; recipient: string; last_error: string }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ recipient: email, status: 'failed', retry_count: 0 });
    expect(items[0]!.last_error).toMatch(/^550 .*Mailbox unavailable/);

    sink.reply = () => ({ accept: true });
    const retry = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/emails/${items[0]!.id}/retry`,
      headers: bearer(organizer.token),
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ status: 'pending', last_error: null });
    await sendAll();
    expect(mailsTo(email)).toHaveLength(1);
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/emails/${items[0]!.id}/retry`,
      headers: bearer(organizer.token),
    });
    expect(again.statusCode).toBe(409);
  });
});
