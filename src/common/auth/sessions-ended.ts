/**
 * Published (after commit) when an employee's sessions end: a password change, a role change,
 * signOutEverywhere. The WebSocket server closes that employee's connections opened with a
 * token of an older session version, on every instance (through the PubSub).
 */
export const SESSIONS_ENDED_TOPIC = 'auth.sessionsEnded';

export interface SessionsEndedEvent {
  employeeId: string;
  /** The new version: tokens issued under any lower one are no longer valid. */
  sessionVersion: number;
}
