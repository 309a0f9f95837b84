/** Running several gateway instances behind one load balancer without sticky sessions. */
export { type SharedSetup, sharedSessionsFor } from "./from-config.ts";
export {
  cancelsElsewhere,
  foreignOwner,
  foreignStateError,
  parkedStatePrefix,
} from "./parked-owner.ts";
export { RedisSessions, type StoredSession } from "./redis-sessions.ts";
export { type SessionEvent, SessionEvents } from "./session-events.ts";
export { SharedSessions, type SharedSessionsOptions } from "./shared-sessions.ts";
export { RETRY_SOON, storeUnavailable } from "./unavailable.ts";
