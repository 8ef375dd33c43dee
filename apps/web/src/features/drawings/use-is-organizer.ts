import { useMe } from '../../api/auth.ts';

/**
 * Whether the signed-in user organizes the event (GET /api/events/:id carries `organizer_id`, not
 * the caller's role). Staff see the history but not the draw controls; the server enforces it too.
 */
export function useIsOrganizer(event: { organizer_id: string } | undefined): boolean | undefined {
  const me = useMe();
  if (!event || !me.data) return undefined;
  return event.organizer_id === me.data.id;
}
