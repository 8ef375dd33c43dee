import { z } from 'zod';

export const eventStatusSchema = z.enum(['draft', 'published', 'in_progress', 'completed', 'cancelled']);
export type EventStatus = z.infer<typeof eventStatusSchema>;

/**
 * The event state machine: draft → published → in_progress → completed, and cancelled from any of
 * the first three. completed and cancelled are final. Staying in the same status is not a move.
 */
const NEXT: Record<EventStatus, readonly EventStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function canTransition(from: EventStatus, to: EventStatus): boolean {
  return NEXT[from].includes(to);
}

export function allowedTransitions(from: EventStatus): readonly EventStatus[] {
  return NEXT[from];
}

/** Statuses whose public page is reachable through the share link. */
export const PUBLICLY_VISIBLE_STATUSES: readonly EventStatus[] = ['published', 'in_progress', 'completed'];
