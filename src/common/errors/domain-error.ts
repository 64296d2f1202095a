import { IntrinsicException } from '@nestjs/common';
import { ErrorCode } from './error-code.js';

export interface DomainErrorDetails {
  /** The offending input, as a path from the argument: `input.amount`, `first`. */
  field?: string;
  /** RATE_LIMITED: when to try again (also the `Retry-After` header). */
  retryAfterSeconds?: number;
}

/** What Apollo Server reads off an error to set the response's HTTP status and headers. */
interface HttpHead {
  status: number;
  headers: Map<string, string>;
}

/** Refusals to serve at all, with the HTTP status they answer. */
const REFUSAL_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/**
 * A refusal the client can act on. Services throw these; one formatter turns them into
 * GraphQL errors (common/errors/format-graphql-error.ts). The message is shown to the client,
 * so it must never carry SQL, driver text or anything internal. (IntrinsicException: Nest does
 * not log it as a crash; it is an expected answer.)
 */
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /**
   * A refusal to serve at all (RATE_LIMITED) answers HTTP 429 with `Retry-After`, over GraphQL
   * too: graphql-js copies these extensions onto the error it wraps this one in, and Apollo
   * takes the status and headers from there (without showing them to the client).
   */
  get extensions(): { http: HttpHead } | undefined {
    const status = REFUSAL_STATUS[this.code];
    if (status === undefined) return undefined;
    const headers = new Map([['retry-after', String(this.details.retryAfterSeconds)]]);
    return { http: { status, headers } };
  }
}

export const unauthenticated = (
  message = 'Sign in first: a valid bearer token is required',
): DomainError => new DomainError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = 'You are not allowed to do this'): DomainError =>
  new DomainError(ErrorCode.FORBIDDEN, message);

export const badInput = (field: string, message: string): DomainError =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });

export const notFound = (what: string, field?: string): DomainError =>
  new DomainError(ErrorCode.NOT_FOUND, `${what} not found`, { field });

export const conflict = (message: string, field?: string): DomainError =>
  new DomainError(ErrorCode.CONFLICT, message, { field });

export const insufficientFunds = (
  message = 'The paying account does not hold enough credits',
): DomainError => new DomainError(ErrorCode.INSUFFICIENT_FUNDS, message);

export const capacityExceeded = (message: string): DomainError =>
  new DomainError(ErrorCode.CAPACITY_EXCEEDED, message);

export const invalidTransition = (message: string): DomainError =>
  new DomainError(ErrorCode.INVALID_TRANSITION, message);

export const rateLimited = (retryAfterSeconds: number): DomainError =>
  new DomainError(
    ErrorCode.RATE_LIMITED,
    `Too many requests: try again in ${retryAfterSeconds} s`,
    {
      retryAfterSeconds,
    },
  );

/** The connection pool stayed full for its whole wait: nothing was done, try again shortly. */
export const serviceUnavailable = (): DomainError =>
  new DomainError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'The service is busy: nothing was changed, try again in a second',
    { retryAfterSeconds: 1 },
  );
