/**
 * The stable `extensions.code` values clients rely on (DESIGN.md, "GraphQL contract").
 * Codes are part of the public API: add, never rename.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS',
  CAPACITY_EXCEEDED = 'CAPACITY_EXCEEDED',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** Refused before any work: too deep, too many aliases, directives or tokens, or too costly. */
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** Too many requests from this user or address, or too many sign-in attempts: wait a minute. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A WebSocket connection already has as many live subscriptions as it may: complete one. */
  TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS',
  /**
   * The HTTP request is not a GraphQL request this endpoint serves (Apollo's own code for a
   * missing query, a batch, a refused content type; ours for a body that is not JSON, too
   * large, or a subscription sent over HTTP).
   */
  BAD_REQUEST = 'BAD_REQUEST',
  /** Every database connection is busy (the pool's wait ran out): retry after `retryAfterSeconds`. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}
