import { mapLinks } from '@eventmanager/domain/events/map-links';
import type { MailType } from '@eventmanager/domain/notifications/schema';
import type {
  AccountLinkMailData,
  MailEvent,
  MailPayload,
  MessageMailData,
  ParticipantMailData,
  StaffInvitationMailData,
  SummaryMailData,
} from '../mail-data.ts';
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
      // Approved into a full event: the person is on the waitlist, with no ticket yet.
      if (data.registration_status === 'waitlist')
        return { ...s.confirmation.waitlist, qr: null, ticket: false };
      return { ...s.approved, ticket: true };
    case 'registration_rejected':
      return { ...s.rejected, qr: null, ticket: false };
    case 'registration_cancelled':
      return { ...s.cancelled, qr: null, ticket: false };
    case 'registration_restored':
      if (data.registration_status === 'registered') return { ...s.restored.registered, ticket: true };
      return { ...s.restored.waitlist, qr: null, ticket: false };
    case 'reminder_1d':
      return { ...s.reminder1d, ticket: true };
    case 'reminder_3h':
      return { ...s.reminder3h, ticket: true };
    default:
      return { ...s.thankYou, qr: null, ticket: false };
  }
}

function coverOf(event: MailEvent): MailContent['cover'] {
  const url = safeUrl(event.cover_image?.url);
  return url ? { url, alt: event.name } : null;
}

function eventDetails(data: ParticipantMailData | SummaryMailData | MessageMailData, s: MailStrings) {
  const ev = data.event;
  const when = formatEventTime(ev.datetime.start, ev.datetime.end, ev.datetime.timezone, data.language);
  const details: MailContent['details'] = [{ label: s.common.when, value: when }];
  if (ev.location.address) details.push({ label: s.common.where, value: ev.location.address });
  if (ev.location.address && ev.location.type !== 'online') {
    const links = mapLinks(ev.location.address);
    details.push({
      label: s.common.map,
      value: `${s.common.kakaoMap} ${links.kakao} · ${s.common.naverMap} ${links.naver}`,
      links: [
        { label: s.common.kakaoMap, url: links.kakao },
        { label: s.common.naverMap, url: links.naver },
      ],
    });
  }
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
  const closing =
    type === 'thank_you' || type === 'registration_rejected' || type === 'registration_cancelled';
  const details = closing ? [] : eventDetails(data, s);
  if (data.registration_number !== null && !closing) {
    details.push({
      label: s.common.registrationNumber,
      value: formatRegistrationNumber(data.registration_number),
    });
  }
  if (withTicket) details.push({ label: s.common.ticketCode, value: data.ticket_code! });
  if (data.registration_status === 'waitlist' && data.waitlist_position) {
    details.push({
      label: s.common.waitlistPosition,
      value: s.common.waitlistPositionValue(data.waitlist_position),
    });
  }
  if (data.reply_to || data.contact_phone) {
    details.push({
      label: s.common.contact,
      value: [data.reply_to, data.contact_phone].filter(Boolean).join(' · '),
    });
  }

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
  if (manage && !closing) {
    actions.push({ label: s.common.manageRegistration, url: manage });
  }
  if (eventUrl) actions.push({ label: s.common.viewEvent, url: eventUrl });
  const subject = t.subject(eventName);
  return {
    content: {
      subject,
      preheader: t.body(eventName)[0] ?? subject,
      heading: t.heading,
      cover: coverOf(data.event),
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
    cover: coverOf(data.event),
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

/** Verification, password reset and staff invitation: a greeting, a few sentences and one link. */
function renderAccountMail(
  type: 'email_verification' | 'password_reset' | 'staff_invitation',
  d: AccountLinkMailData | StaffInvitationMailData,
): MailContent {
  const s = mailStrings[d.language];
  const until = formatEventTime(d.expires_at, null, d.timezone, d.language);
  let texts: { subject: string; heading: string; body: string[]; action: string };
  if (type === 'staff_invitation' && 'event_name' in d) {
    const t = s.invitation;
    texts = {
      subject: t.subject(d.event_name),
      heading: t.heading,
      body: t.body(d.inviter_name, d.event_name, until),
      action: t.action,
    };
  } else {
    const t = type === 'password_reset' ? s.passwordReset : s.verification;
    texts = { subject: t.subject, heading: t.heading, body: t.body(until), action: t.action };
  }
  const link = safeUrl(d.link);
  return {
    cover: null,
    subject: texts.subject,
    preheader: texts.body[0] ?? texts.subject,
    heading: texts.heading,
    paragraphs: [s.common.greeting(d.recipient_name), ...texts.body],
    details: [],
    qrCaption: null,
    actions: link ? [{ label: texts.action, url: link }] : [],
    stats: [],
    footer: s.common.brand,
  };
}

/**
 * The organizer's own words: their subject as is, their body as paragraphs (split at blank lines;
 * escaped like every text), then the event's time and place and the participant's manage link.
 */
function renderMessage(data: MessageMailData): MailContent {
  const s = mailStrings[data.language];
  const paragraphs = data.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const manage = data.manage_url ? safeUrl(data.manage_url) : null;
  const eventUrl = safeUrl(data.event.share_url);
  const actions = [];
  if (manage) actions.push({ label: s.common.manageRegistration, url: manage });
  if (eventUrl) actions.push({ label: s.common.viewEvent, url: eventUrl });
  return {
    cover: coverOf(data.event),
    subject: `[${data.event.name}] ${data.subject}`,
    preheader: paragraphs[0] ?? data.subject,
    heading: data.subject,
    paragraphs: [s.common.greeting(data.recipient_name), ...paragraphs],
    details: eventDetails(data, s),
    qrCaption: null,
    actions,
    stats: [],
    footer: `${s.common.footerParticipant(data.event.name)} ${s.common.footerPrivacy}`,
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
      cover: null,
      paragraphs: [s.common.greeting(d.recipient_name), ...s.deletion.body(d.mode, d.event_name)],
      details: [],
      qrCaption: null,
      actions: [],
      stats: [],
      footer: d.event_name ? s.common.footerParticipant(d.event_name) : s.common.brand,
    };
  } else if (
    payload.type === 'email_verification' ||
    payload.type === 'password_reset' ||
    payload.type === 'staff_invitation'
  ) {
    content = renderAccountMail(payload.type, payload.data);
  } else if (payload.type === 'billing_receipt' || payload.type === 'billing_payment_failed') {
    content = renderBillingMail(payload.type, payload.data);
  } else if (payload.type === 'organizer_summary') {
    content = renderSummary(payload.data);
  } else if (payload.type === 'organizer_message') {
    content = renderMessage(payload.data);
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
