import type { Actor } from './actor.js';

export interface VerifiedBearer {
  actor: Actor;
  expiresAt: Date;
  /** The session version the token was issued under; undefined for the identity provider's. */
  sessionVersion?: number;
}

/**
 * Who a bearer token names, fresh from the database, and until when it is valid (the auth
 * module's AuthService). Infrastructure such as the WebSocket server depends on this, not on
 * the auth module.
 */
export abstract class BearerAuthentication {
  /** UNAUTHENTICATED (a DomainError) when the token is missing, invalid, expired or unknown. */
  abstract verify(authorization: unknown): Promise<VerifiedBearer>;

  /** Whom the token verifiably names, for the rate limits (as over HTTP); no database read. */
  abstract subjectOf(authorization: unknown): Promise<string | undefined>;
}
