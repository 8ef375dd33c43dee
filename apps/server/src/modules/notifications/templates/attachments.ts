import QRCode from 'qrcode';
import { buildEventIcs } from '../../events/events.calendar.ts';
import type { MailEvent } from '../mail-data.ts';
import type { MailAttachment } from '../mail-transport.ts';

export const QR_CID = 'ticket-qr@eventmanager';

/** The ticket QR the check-in scanner reads: it encodes the ticket code itself. */
export async function ticketQrAttachment(ticketCode: string): Promise<MailAttachment> {
  const png = await QRCode.toBuffer(ticketCode, {
    type: 'png',
    width: 280,
    margin: 2,
    errorCorrectionLevel: 'M',
  });
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
