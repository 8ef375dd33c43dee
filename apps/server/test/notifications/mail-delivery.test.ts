import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/modules/notifications/mail-transport.ts';
import {
  enqueueDeletionConfirmation,
  enqueueMail,
} from '../../src/modules/notifications/notifications.api.ts';
import {
  erasePersonalData,
  findJob,
  listJobs,
} from '../../src/modules/notifications/notifications.repository.ts';
import { createMailWorker } from '../../src/modules/notifications/notifications.worker.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryOne, sql } from '../../src/platform/db/database.ts';
import { createTestContext, type TestContext } from '../helpers/test-app.ts';
import { participantData } from './fixtures.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';

const FIVE_MINUTES = 5 * 60 * 1000;
const FROM = 'eventManager <no-reply@eventmanager.test>';

describe('e-mail delivery through a real SMTP server', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  const clock = new ManualClock(Date.parse('2026-11-20T00:00:00Z'));

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await ctx?.close();
  });

  const db = () => ctx.platform.database.db;
  function newWorker(url = sink.url) {
    const transport = createSmtpTransport(url, { maxConnections: 1 });
    const worker = createMailWorker({
      db: db(),
      clock,
      transport,
      mailFrom: FROM,
      publicUrl: ctx.config.publicUrl,
      ratePerSecond: 1000,
    });
    return { worker, close: () => transport.close() };
  }
  async function enqueue(
    recipient: string,
    data = participantData(),
    type = 'registration_confirmation' as const,
  ) {
    await enqueueMail(db(), {
      type,
      recipient,
      data,
      scheduledAt: clock.now(),
      eventId: data.event.id,
      participantId: randomUUID(),
    });
    const row = await queryOne<{ id: string }>(
      db(),
      sql`select id from email_queue where recipient = ${recipient} order by created_at desc limit 1`,
    );
    return row!.id;
  }
  const forRecipient = (to: string): ParsedMail[] =>
    sink.received.filter((m) => m.envelopeTo.includes(to)).map((m) => m.parsed);

  it('delivers the registration confirmation: headers, Korean subject, HTML and text, inline QR, a parseable .ics', async () => {
    sink.reply = () => ({ accept: true });
    const to = `kim.${randomUUID().slice(0, 8)}@example.com`;
    const data = participantData();
    const id = await enqueue(to, data);
    const { worker, close } = newWorker();
    const result = await worker.drain();
    await close();
    expect(result.sent).toBe(1);

    const [mail] = forRecipient(to);
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe(`[${data.event.name}] 등록이 완료되었습니다`);
    // The Korean subject travels RFC 2047-encoded, not as raw 8-bit bytes.
    const raw = sink.received.find((m) => m.envelopeTo.includes(to))!.raw.toString('latin1');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(mail!.from?.value[0]?.address).toBe('no-reply@eventmanager.test');
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0]?.address : undefined).toBe(to);
    expect(mail!.messageId).toBeTruthy();
    expect(mail!.headers.get('x-eventmanager-job')).toBe(id);

    expect(mail!.text).toContain('홍길동님, 안녕하세요.');
    expect(mail!.text).toContain('#007');
    expect(mail!.text).toContain('2026년 11월 26일');
    expect(mail!.text).toContain(data.manage_url);
    expect(mail!.html).toContain('cid:ticket-qr@eventmanager');
    expect(mail!.html).toContain('<meta name="viewport"');
    expect(mail!.html).toContain('@media (max-width: 620px)');
    expect(mail!.html).toContain(data.manage_url);

    const qr = mail!.attachments.find((a) => a.contentType === 'image/png');
    expect(qr?.contentId).toBe('<ticket-qr@eventmanager>');
    expect(qr?.contentDisposition).toBe('inline');
    expect(qr!.content.subarray(1, 4).toString()).toBe('PNG');

    const ics = mail!.attachments.find((a) => a.filename === 'event.ics');
    expect(ics?.contentType).toBe('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8')));
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('uid')).toBe(`${data.event.id}@localhost:3000`);
    expect(vevent.getFirstPropertyValue('summary')).toBe(data.event.name);
    const start = vevent.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe(data.event.datetime.start);
    const alarm = vevent.getFirstSubcomponent('valarm')!;
    expect(String(alarm.getFirstPropertyValue('trigger'))).toBe('-PT3H');

    const row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'sent', retry_count: 0, last_error: null, data: {} });
    expect(row!.sent_at?.toISOString()).toBe(clock.now().toISOString());
  });

  it('renders the English template for an English-speaking participant', async () => {
    sink.reply = () => ({ accept: true });
    const to = `lee.${randomUUID().slice(0, 8)}@example.com`;
    const data = participantData({ language: 'en', recipient_name: 'Jane', registration_status: 'waitlist' });
    await enqueue(to, data);
    const { worker, close } = newWorker();
    await worker.drain();
    await close();
    const [mail] = forRecipient(to);
    expect(mail!.subject).toBe(`You're on the waitlist: ${data.event.name}`);
    expect(mail!.text).toContain('Hi Jane,');
    // A waitlisted person holds no seat yet: no ticket, no calendar entry.
    expect(mail!.attachments).toHaveLength(0);
  });

  it('retries a 4xx answer 5 minutes later and sends on the third try', async () => {
    const to = `retry.${randomUUID().slice(0, 8)}@example.com`;
    let calls = 0;
    sink.reply = (_n, session) => {
      if (!session.envelope.rcptTo.some((r) => r.address === to)) return { accept: true };
      calls++;
      return calls <= 2 ? { accept: false, code: 451, message: 'Try again later' } : { accept: true };
    };
    const id = await enqueue(to);
    const { worker, close } = newWorker();
    const t0 = clock.now().getTime();

    expect((await worker.drain()).retried).toBe(1);
    let row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'pending', retry_count: 1 });
    expect(row!.last_error).toMatch(/^451/);
    expect(row!.next_retry!.getTime()).toBe(t0 + FIVE_MINUTES);

    clock.advance(FIVE_MINUTES - 1000);
    expect((await worker.drain()).claimed).toBe(0); // not before its time

    clock.advance(1000);
    expect((await worker.drain()).retried).toBe(1);
    row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'pending', retry_count: 2 });
    expect(row!.next_retry!.getTime()).toBe(t0 + 2 * FIVE_MINUTES);

    clock.advance(FIVE_MINUTES);
    expect((await worker.drain()).sent).toBe(1);
    await close();
    row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'sent', retry_count: 2 });
    expect(row!.sent_at!.getTime()).toBe(t0 + 2 * FIVE_MINUTES);
    expect(calls).toBe(3);
    expect(forRecipient(to)).toHaveLength(1);
  });

  it('gives up after 3 retries of a transient failure, keeping the error', async () => {
    const to = `down.${randomUUID().slice(0, 8)}@example.com`;
    sink.reply = (_n, session) =>
      session.envelope.rcptTo.some((r) => r.address === to)
        ? { accept: false, code: 421, message: 'Service not available' }
        : { accept: true };
    const id = await enqueue(to);
    const { worker, close } = newWorker();
    for (let i = 0; i < 3; i++) {
      await worker.drain();
      clock.advance(FIVE_MINUTES);
    }
    expect((await worker.drain()).failed).toBe(1);
    await close();
    const row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'failed', retry_count: 3 });
    expect(row!.last_error).toMatch(/^421/);
  });

  it('fails a 5xx answer at once, without retrying, and shows it in the failed list', async () => {
    const to = `nouser.${randomUUID().slice(0, 8)}@example.com`;
    sink.reply = (_n, session) =>
      session.envelope.rcptTo.some((r) => r.address === to)
        ? { accept: false, code: 550, message: 'No such user here' }
        : { accept: true };
    const data = participantData();
    const id = await enqueue(to, data);
    const { worker, close } = newWorker();
    expect((await worker.drain()).failed).toBe(1);
    clock.advance(FIVE_MINUTES * 10);
    expect((await worker.drain()).claimed).toBe(0);
    await close();
    const row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'failed', retry_count: 0 });
    expect(row!.last_error).toMatch(/^550 .*No such user/);
    const failed = await listJobs(db(), data.event.id, { status: 'failed', limit: 10 });
    expect(failed.map((j) => j.id)).toEqual([id]);
  });

  it('treats a refused connection as transient', async () => {
    const to = `conn.${randomUUID().slice(0, 8)}@example.com`;
    const id = await enqueue(to);
    // Nothing listens on the sink's port + 1000 outside our range; use a closed port of our range instead.
    const closed = await startSmtpSink();
    const url = closed.url;
    await closed.close();
    const { worker, close } = newWorker(url);
    expect((await worker.drain()).retried).toBe(1);
    await close();
    const row = await findJob(db(), id);
    expect(row).toMatchObject({ status: 'pending', retry_count: 1 });
    expect(row!.last_error).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
    await db().execute(sql`update email_queue set status = 'cancelled' where id = ${id}::uuid`);
  });

  it('fails an invalid recipient address without contacting the server', async () => {
    const before = sink.attempts;
    const id = await enqueue('not-an-address');
    const { worker, close } = newWorker();
    expect((await worker.drain()).failed).toBe(1);
    await close();
    expect(sink.attempts).toBe(before);
    expect((await findJob(db(), id))!.last_error).toMatch(/invalid recipient/);
  });

  it('queues nothing when the enqueueing transaction rolls back', async () => {
    const to = `rollback.${randomUUID().slice(0, 8)}@example.com`;
    await expect(
      db().transaction(async (tx) => {
        await enqueueMail(tx, {
          type: 'registration_confirmation',
          recipient: to,
          data: participantData(),
          scheduledAt: clock.now(),
        });
        throw new Error('registration failed after the e-mail was queued');
      }),
    ).rejects.toThrow('registration failed');
    const row = await queryOne<{ n: number }>(
      db(),
      sql`select count(*)::int as n from email_queue where recipient = ${to}`,
    );
    expect(row!.n).toBe(0);
  });

  it("erases a deleted participant's queued mail but still sends the deletion confirmation", async () => {
    const participantId = randomUUID();
    const to = `erase.${randomUUID().slice(0, 8)}@example.com`;
    const data = participantData();
    await enqueueMail(db(), {
      type: 'reminder_1d',
      recipient: to,
      data,
      scheduledAt: new Date(clock.now().getTime() + 60_000),
      eventId: data.event.id,
      participantId,
    });
    await db().transaction(async (tx) => {
      await enqueueDeletionConfirmation(tx, {
        recipient: to,
        name: '홍길동',
        language: 'ko',
        mode: 'deleted',
        eventId: data.event.id,
        eventName: data.event.name,
        participantId,
        now: clock.now(),
      });
      await erasePersonalData(tx, participantId, clock.now());
    });
    const rows = await listJobs(db(), data.event.id, { limit: 10 });
    expect(rows.find((r) => r.type === 'reminder_1d')).toMatchObject({
      status: 'cancelled',
      recipient: '[erased]',
      data: {},
    });
    expect(rows.find((r) => r.type === 'deletion_confirmation')).toMatchObject({
      status: 'pending',
      recipient: to,
    });
    sink.reply = () => ({ accept: true });
    clock.advance(120_000);
    const { worker, close } = newWorker();
    await worker.drain();
    await close();
    expect(forRecipient(to).map((m) => m.subject)).toEqual(['개인정보가 삭제되었습니다']);
  });
});
