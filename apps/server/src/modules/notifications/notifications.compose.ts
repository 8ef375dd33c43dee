import type { Event } from '@eventmanager/domain/events/schema';
import type { NotificationContext } from '../participants/participants.api.ts';
import type { MailBranding, MailEvent, ParticipantMailData } from './mail-data.ts';

/** Builds the `data` of queued e-mails from the other modules' exported views. */

export function mailEventOf(event: Event): MailEvent {
  return {
    id: event.id,
    name: event.name,
    description: event.description,
    language: event.language,
    location: event.location,
    datetime: event.datetime,
    share_url: event.share_url,
    cover_image: event.cover_image,
  };
}

/**
 * The event's branding (logo, colour) on its e-mails. Only premium organizers can set branding (the
 * events module refuses it on the free plan), so its presence is the premium check; a pure function,
 * because it runs inside other modules' transactions.
 */
export function brandingOf(event: Event): MailBranding {
  if (!event.branding) return null;
  return {
    logo_url: event.branding.logo_url,
    primary_color: event.branding.primary_color,
    organizer_name: null,
  };
}

export function participantMailData(ctx: NotificationContext, branding: MailBranding): ParticipantMailData {
  return {
    language: ctx.language,
    recipient_name: ctx.participant.identity.name,
    branding,
    event: mailEventOf(ctx.event),
    manage_url: ctx.manageUrl,
    ticket_code: ctx.ticketCode,
    registration_number: ctx.participant.registration.number,
    registration_status: ctx.participant.registration.status,
    waitlist_position: ctx.waitlistPosition,
    reply_to: ctx.event.contact?.email ?? null,
    contact_phone: ctx.event.contact?.phone ?? null,
  };
}
