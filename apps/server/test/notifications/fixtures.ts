import { randomUUID } from 'node:crypto';
import { createAccountsService } from '../../src/modules/accounts/accounts.service.ts';
import type { ParticipantMailData } from '../../src/modules/notifications/mail-data.ts';
import { createSmtpTransport } from '../../src/modules/notifications/mail-transport.ts';
import { createMailScheduler } from '../../src/modules/notifications/notifications.scheduler.ts';
import { createMailWorker } from '../../src/modules/notifications/notifications.worker.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { TestContext } from '../helpers/test-app.ts';

/** A participant e-mail's data as the triggers build it, for tests that enqueue directly. */
export function participantData(overrides: Partial<ParticipantMailData> = {}): ParticipantMailData {
  const eventId = randomUUID();
  return {
    language: 'ko',
    recipient_name: '홍길동',
    branding: null,
    event: {
      id: eventId,
      name: '11월 북클럽 모임 — 코스모스',
      description: '이번 달 읽을 책은 「코스모스」입니다.',
      language: 'ko',
      location: {
        type: 'physical',
        address: '서울 마포구 홍대 북카페',
        coordinates: null,
        online_link: null,
      },
      datetime: {
        start: '2026-11-26T10:00:00.000Z',
        end: '2026-11-26T12:00:00.000Z',
        timezone: 'Asia/Seoul',
      },
      share_url: 'http://localhost:3000/e/abc123',
    },
    manage_url: 'http://localhost:3000/m/token123',
    ticket_code: 'TK-7Q2M-9XPA',
    registration_number: 7,
    registration_status: 'registered',
    ...overrides,
  };
}

/** Sends everything due through a real worker (scheduler tick included) to an SMTP sink. */
export async function sendAllTo(ctx: TestContext, sinkUrl: string, clock: Clock) {
  const db = ctx.platform.database.db;
  const transport = createSmtpTransport(sinkUrl, { maxConnections: 2 });
  const scheduler = createMailScheduler({
    db,
    accounts: createAccountsService(ctx.platform, { publicUrl: ctx.config.publicUrl }),
    publicUrl: ctx.config.publicUrl,
  });
  const worker = createMailWorker({
    db,
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
