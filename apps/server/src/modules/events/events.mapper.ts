import type { Event } from '@eventmanager/domain/events/schema';
import type { EventRow } from './events.tables.ts';

/**
 * The public base URL share links are built on. Set once when the module registers (from
 * PUBLIC_URL) so that `getEvent(db, id)` — called by other modules with only a Db — can still
 * return a complete `share_url`; the stored value is the code alone, so changing PUBLIC_URL
 * never leaves stale links in the database.
 */
let publicBaseUrl = 'http://localhost:3000';
export function configureShareUrls(baseUrl: string): void {
  publicBaseUrl = baseUrl.replace(/\/$/, '');
}
export function publicUrl(): string {
  return publicBaseUrl;
}
/** Where the app serves a stored cover image (keys are content-addressed: cached for good). */
export function coverUrlFor(key: string): string {
  return `${publicBaseUrl}/api/public/${key}`;
}
export function shareUrlFor(code: string): string {
  return `${publicBaseUrl}/e/${code}`;
}

export function toEvent(row: EventRow): Event {
  return {
    id: row.id,
    organizer_id: row.organizerId,
    name: row.name,
    description: row.description,
    language: row.language,
    location: {
      type: row.location.type,
      address: row.location.address ?? null,
      coordinates: row.location.coordinates ?? null,
      online_link: row.location.online_link ?? null,
    },
    datetime: {
      start: row.startsAt.toISOString(),
      end: row.endsAt ? row.endsAt.toISOString() : null,
      timezone: row.timezone,
    },
    capacity: { max_participants: row.maxParticipants, waitlist_enabled: row.waitlistEnabled },
    registration: {
      deadline: row.deadline ? row.deadline.toISOString() : null,
      requires_approval: row.requiresApproval,
      form_fields: row.formFields,
      phone: row.phoneField,
      retired_form_fields: row.retiredFormFields,
    },
    status: row.status,
    privacy: row.privacy,
    features: row.features,
    branding: row.branding ?? null,
    contact: row.contact ? { email: row.contact.email ?? null, phone: row.contact.phone ?? null } : null,
    cover_image: row.coverImage
      ? { url: coverUrlFor(row.coverImage.key), width: row.coverImage.width, height: row.coverImage.height }
      : null,
    share_url: shareUrlFor(row.shareCode),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The share code is the last path segment of share_url. */
export function shareCodeOf(event: Event): string {
  return event.share_url.slice(event.share_url.lastIndexOf('/') + 1);
}
