/** Bus channel of one event's followers: checkin_updated, participant_registered, event_updated. */
export const eventChannel = (eventId: string) => `event:${eventId}`;

/**
 * Bus channel of one device, scoped by the user who authenticated it: device ids are chosen by the
 * clients, so a channel keyed by the id alone would let anyone who guesses it read another
 * organizer's conflicts.
 */
export const deviceChannel = (userId: string, deviceId: string) => `device:${userId}:${deviceId}`;
