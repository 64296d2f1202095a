import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
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
  [ErrorCode.BAD_REQUEST]: HttpStatus.BAD_REQUEST,
  [ErrorCode.INTERNAL_SERVER_ERROR]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/**
 * Domain errors on plain HTTP routes (GraphQL has its own formatter): the same code and
 * message, with a matching status, as `{ "error": { "code", "message", "field" } }`.
 */
@Catch(DomainError)
export class DomainErrorHttpFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HTTP_STATUS[error.code])
      .json({ error: { code: error.code, message: error.message, ...error.details } });
  }
}
