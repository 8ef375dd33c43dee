import type { MailType } from '@eventmanager/domain/notifications/schema';
import type { MailPayload, ParticipantMailData, SummaryMailData } from '../mail-data.ts';
import type { MailAttachment } from '../mail-transport.ts';
import { eventIcsAttachment, ticketQrAttachment } from './attachments.ts';
import { renderBillingMail } from './billing-mail.ts';
import type { MailContent } from './content.ts';
import { formatEventTime, formatNumber, formatRegistrationNumber, safeUrl } from './format.ts';
import { renderHtml, renderText } from './layout.ts';
import { type MailStrings, mailStrings } from './strings.ts';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachment[];
}

export interface RenderContext {
  /** PUBLIC_URL; its host makes the calendar UID `<event id>@<host>` like the public .ics feed. */
  publicUrl: string;
  now: Date;
}

/** Which participant e-mails carry the ticket (QR inline, .ics attached): the ones that hold a seat. */
function participantTexts(type: MailType, data: ParticipantMailData, s: MailStrings) {
  switch (type) {
    case 'registration_confirmation':
      if (data.registration_status === 'pending')
        return { ...s.confirmation.pending, qr: null, ticket: false };
      if (data.registration_status === 'waitlist')
        return { ...s.confirmation.waitlist, qr: null, ticket: false };
      return { ...s.confirmation.registered, ticket: true };
    case 'waitlist_promotion':
      return { ...s.promotion, ticket: true };
    case 'registration_approved':
      return { ...s.approved, ticket: true };
    case 'registration_rejected':
      return { ...s.rejected, qr: null, ticket: false };
    case 'reminder_1d':
      return { ...s.reminder1d, ticket: true };
    case 'reminder_3h':
      return { ...s.reminder3h, ticket: true };
    default:
      return { ...s.thankYou, qr: null, ticket: false };
  }
}

function eventDetails(data: ParticipantMailData | SummaryMailData, s: MailStrings) {
  const ev = data.event;
  const when = formatEventTime(ev.datetime.start, ev.datetime.end, ev.datetime.timezone, data.language);
  const details = [{ label: s.common.when, value: when }];
  if (ev.location.address) details.push({ label: s.common.where, value: ev.location.address });
  const online = safeUrl(ev.location.online_link);
  if (online) details.push({ label: s.common.online, value: online });
  return details;
}

async function renderParticipantMail(
  type: MailType,
  data: ParticipantMailData,
  ctx: RenderContext,
): Promise<{ content: MailContent; attachments: MailAttachment[] }> {
  const s = mailStrings[data.language];
  const t = participantTexts(type, data, s);
  const eventName = data.event.name;
  const withTicket = t.ticket && data.ticket_code !== null;
  const details = type === 'thank_you' || type === 'registration_rejected' ? [] : eventDetails(data, s);
  if (data.registration_number !== null && type !== 'thank_you' && type !== 'registration_rejected') {
    details.push({
      label: s.common.registrationNumber,
      value: formatRegistrationNumber(data.registration_number),
    });
  }
  if (withTicket) details.push({ label: s.common.ticketCode, value: data.ticket_code! });

  const paragraphs = [s.common.greeting(data.recipient_name), ...t.body(eventName)];
  const attachments: MailAttachment[] = [];
  if (withTicket) {
    attachments.push(ticketQrAttachment(data.ticket_code!));
    attachments.push(eventIcsAttachment(data.event, { publicUrl: ctx.publicUrl, now: ctx.now }));
    paragraphs.push(s.common.attachedCalendar);
  }
  const manage = safeUrl(data.manage_url);
  const eventUrl = safeUrl(data.event.share_url);
  const actions = [];
  if (manage && type !== 'registration_rejected' && type !== 'thank_you') {
    actions.push({ label: s.common.manageRegistration, url: manage });
  }
  if (eventUrl) actions.push({ label: s.common.viewEvent, url: eventUrl });
  const subject = t.subject(eventName);
  return {
    content: {
      subject,
      preheader: t.body(eventName)[0] ?? subject,
      heading: t.heading,
      paragraphs,
      details,
      qrCaption: withTicket ? t.qr : null,
      actions,
      stats: [],
      footer: `${s.common.footerParticipant(eventName)} ${s.common.footerPrivacy}`,
    },
    attachments,
  };
}

function renderSummary(data: SummaryMailData): MailContent {
  const s = mailStrings[data.language];
  const st = data.stats;
  const n = (v: number) => formatNumber(v, data.language);
  const rate = st.registered > 0 ? Math.round((st.checked_in / st.registered) * 1000) / 10 : 0;
  const dashboard = safeUrl(data.dashboard_url);
  return {
    subject: s.summary.subject(data.event.name),
    preheader: s.summary.body(data.event.name)[0]!,
    heading: s.summary.heading,
    paragraphs: [s.common.greeting(data.recipient_name), ...s.summary.body(data.event.name)],
    details: eventDetails(data, s),
    qrCaption: null,
    stats: [
      { label: s.summary.labels.registered, value: n(st.registered) },
      { label: s.summary.labels.checked_in, value: n(st.checked_in) },
      { label: s.summary.attendanceRate, value: `${rate}%` },
      { label: s.summary.labels.no_show, value: n(st.no_show) },
      { label: s.summary.labels.waitlist, value: n(st.waitlist) },
      { label: s.summary.labels.pending, value: n(st.pending) },
      { label: s.summary.labels.cancelled, value: n(st.cancelled) },
    ],
    actions: dashboard ? [{ label: s.summary.openDashboard, url: dashboard }] : [],
    footer: s.common.footerOrganizer,
  };
}

/** Renders a queued job into subject, HTML, plain text and attachments, in the recipient's language. */
export async function renderMail(payload: MailPayload, ctx: RenderContext): Promise<RenderedMail> {
  let content: MailContent;
  let attachments: MailAttachment[] = [];
  if (payload.type === 'deletion_confirmation') {
    const d = payload.data;
    const s = mailStrings[d.language];
    content = {
      subject: s.deletion.subject(d.mode),
      preheader: s.deletion.body(d.mode, d.event_name)[0]!,
      heading: s.deletion.heading(d.mode),
      paragraphs: [s.common.greeting(d.recipient_name), ...s.deletion.body(d.mode, d.event_name)],
      details: [],
      qrCaption: null,
      actions: [],
      stats: [],
      footer: d.event_name ? s.common.footerParticipant(d.event_name) : s.common.brand,
    };
  } else if (payload.type === 'billing_receipt' || payload.type === 'billing_payment_failed') {
    content = renderBillingMail(payload.type, payload.data);
  } else if (payload.type === 'organizer_summary') {
    content = renderSummary(payload.data);
  } else {
    const rendered = await renderParticipantMail(payload.type, payload.data, ctx);
    content = rendered.content;
    attachments = rendered.attachments;
  }
  return {
    subject: content.subject,
    html: renderHtml(content, payload.data.language, payload.data.branding),
    text: renderText(content),
    attachments,
  };
}
