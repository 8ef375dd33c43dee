import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { patchEvent, setTier } from '../events/fixtures.ts';
import { bearer, createTestContext, signupUser, type TestContext, uniqueEmail } from '../helpers/test-app.ts';
import { NOW, publishedEvent, registerOk, registration } from '../participants/fixtures.ts';
import { sendAllTo } from './fixtures.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';

describe('waitlist and organizer e-mails: position, cancel, restore, Reply-To, map, brand colour', () => {
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

  const sendAll = () => sendAllTo(ctx, sink.url, clock);
  const mailsTo = (address: string) =>
    sink.received.filter((m) => m.envelopeTo.includes(address)).map((m) => m.parsed);

  it('tells the waitlist position, replies go to the organizer, and the address links to Kakao and Naver maps', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: true });
    await patchEvent(ctx.app, organizer.token, event.id, {
      contact: { email: 'host@example.com', phone: '010-2222-3333' },
    });
    await registerOk(ctx.app, code);
    await registerOk(ctx.app, code);
    const email = uniqueEmail('third');
    await registerOk(ctx.app, code, registration({ identity: { name: '김셋', email }, language: 'ko' }));
    await sendAll();
    const [mail] = mailsTo(email);
    expect(mail!.subject).toBe(`[${event.name}] 대기자 명단에 등록되었습니다`);
    expect(mail!.text).toContain('대기 순번: 2번째');
    expect(mail!.replyTo?.value.map((a) => a.address)).toEqual(['host@example.com']);
    expect(mail!.text).toContain('주최자 연락처: host@example.com · 010-2222-3333');
    const address = encodeURIComponent(event.location.address!);
    expect(mail!.html).toContain(`href="https://map.kakao.com/link/search/${address}"`);
    expect(mail!.html).toContain(`href="https://map.naver.com/p/search/${address}"`);
  });

  it('tells the participant of an organizer cancellation and restore, in their language; no Reply-To without a contact', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 5, waitlist: true });
    const email = uniqueEmail('jane');
    const jane = await registerOk(
      ctx.app,
      code,
      registration({ identity: { name: 'Jane', email }, language: 'en' }),
    );
    await sendAll();
    const url = `/api/events/${event.id}/participants/${jane.participant.id}`;
    expect(
      (await ctx.app.inject({ method: 'DELETE', url, headers: bearer(organizer.token) })).statusCode,
    ).toBe(204);
    const restore = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(organizer.token),
      payload: { status: 'registered' },
    });
    expect(restore.statusCode).toBe(200);
    await sendAll();
    const subjects = mailsTo(email).map((m) => m.subject);
    expect(subjects).toEqual([
      `You're registered: ${event.name}`,
      `Your registration was cancelled: ${event.name}`,
      `Your registration is back: ${event.name}`,
    ]);
    const back = mailsTo(email).find((m) => m.subject?.startsWith('Your registration is back'))!;
    expect(back.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-qr.png']);
    expect(back.replyTo).toBeUndefined();
  });

  it('uses the event brand colour in participant e-mails', async () => {
    const organizer = await signupUser(ctx.app);
    await setTier(ctx.platform, organizer.userId, 'basic_premium');
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const branded = await patchEvent(ctx.app, organizer.token, event.id, {
      branding: { logo_url: 'https://example.com/logo.png', primary_color: '#e11d48' },
    });
    expect(branded.statusCode).toBe(200);
    const email = uniqueEmail('brand');
    await registerOk(ctx.app, code, registration({ identity: { name: '한빛', email } }));
    await sendAll();
    const [mail] = mailsTo(email);
    expect(mail!.html).toContain('background:#e11d48');
  });

  it('shows the event cover image at the top of participant e-mails', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const uploaded = await ctx.app.inject({
      method: 'PUT',
      url: `/api/events/${event.id}/cover`,
      headers: { ...bearer(organizer.token), 'content-type': 'image/png' },
      payload: png,
    });
    expect(uploaded.statusCode).toBe(200);
    const coverUrl = uploaded.json().cover_image.url as string;
    const email = uniqueEmail('cover');
    await registerOk(ctx.app, code, registration({ identity: { name: '표지', email } }));
    await sendAll();
    const [mail] = mailsTo(email);
    expect(mail!.html).toContain(`<img src="${coverUrl}"`);
  });

  it('an approval into a full event says waitlist, with the position and no ticket', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, {
      max: 1,
      waitlist: true,
      approval: true,
    });
    const email = uniqueEmail('late');
    const first = await registerOk(ctx.app, code);
    const late = await registerOk(ctx.app, code, registration({ identity: { name: '늦게', email } }));
    for (const p of [first, late]) {
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/events/${event.id}/participants/${p.participant.id}`,
        headers: bearer(organizer.token),
        payload: { status: 'registered' },
      });
      expect(res.statusCode).toBe(200);
    }
    await sendAll();
    const approval = mailsTo(email).find((m) => m.subject === `[${event.name}] 대기자 명단에 등록되었습니다`);
    expect(approval!.text).toContain('대기 순번: 1번째');
    expect(approval!.attachments).toHaveLength(0);
  });
});
