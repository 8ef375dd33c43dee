/**
 * The version of the check-in wire protocol (the /realtime messages and the sync request and answer).
 * Additive changes (new optional fields) keep it; bump it on an incompatible change: servers refuse
 * sync requests of another version, and clients told another version by the socket ask to reload.
 */
export const PROTOCOL_VERSION = 1;
