import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { addressOf } from '../rate-limit/rate-limits.js';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-code.js';

const HTTP_STATUS: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.BAD_USER_INPUT]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.INSUFFICIENT_FUNDS]: HttpStatus.CONFLICT,
  [ErrorCode.CAPACITY_EXCEEDED]: HttpStatus.CONFLICT,
  [ErrorCode.INVALID_TRANSITION]: HttpStatus.CONFLICT,
  [ErrorCode.QUERY_TOO_COMPLEX]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.TOO_MANY_SUBSCRIPTIONS]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.BAD_REQUEST]: HttpStatus.BAD_REQUEST,
  [ErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.INTERNAL_SERVER_ERROR]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** Where FORBIDDEN answers on HTTP routes are recorded (the audit module's SecurityLog). */
export abstract class RefusalRecorder {
  abstract refused(refusal: {
    actorId: string;
    operation: string;
    address?: string;
  }): Promise<void>;
}

/**
 * Domain errors on plain HTTP routes (GraphQL has its own formatter): the same code and
 * message, with a matching status, as `{ "error": { "code", "message", "field" } }`.
 */
@Catch(DomainError)
@Injectable()
export class DomainErrorHttpFilter implements ExceptionFilter {
  constructor(private readonly refusals: RefusalRecorder) {}

  async catch(error: DomainError, host: ArgumentsHost): Promise<void> {
    if (host.getType() !== 'http') throw error;
    const request = host.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const response = host.switchToHttp().getResponse<Response>();
    if (error.code === ErrorCode.FORBIDDEN && request.actor) {
      await this.refusals.refused({
        actorId: request.actor.id,
        operation: `${request.method} ${request.path}`,
        address: addressOf(request),
      });
    }
    answerDomainError(response, error);
  }
}

/** A domain error as an HTTP answer: its status, its retry hint, `{ "error": { code, message, … } }`. */
export function answerDomainError(response: Response, error: DomainError): void {
  if (error.details.retryAfterSeconds !== undefined) {
    response.set('retry-after', String(error.details.retryAfterSeconds));
  }
  response
    .status(HTTP_STATUS[error.code])
    .json({ error: { code: error.code, message: error.message, ...error.details } });
}
