import { buildEventIcs } from '../../events/events.calendar.ts';
import type { MailEvent } from '../mail-data.ts';
import type { MailAttachment } from '../mail-transport.ts';
import { qrPng } from './qr-png.ts';

export const QR_CID = 'ticket-qr@eventmanager';

/** The ticket QR the check-in scanner reads: it encodes the ticket code itself (200 px, 8 px a module). */
export function ticketQrAttachment(ticketCode: string): MailAttachment {
  const png = qrPng(ticketCode, { scale: 8, margin: 2 });
  return { filename: 'ticket-qr.png', content: png, contentType: 'image/png', cid: QR_CID };
}

/**
 * The event as an `.ics`, built by the events module's calendar (UID <id>@<host>, VALARM -PT3H), so
 * importing the attachment and subscribing to the public feed yield one calendar entry, not two.
 */
export function eventIcsAttachment(
  event: MailEvent,
  options: { publicUrl: string; now: Date },
): MailAttachment {
  return {
    filename: 'event.ics',
    content: buildEventIcs(event, options.publicUrl, options.now),
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
  };
}
