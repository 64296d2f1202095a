import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ErrorCode } from './error-code.js';

const GRAPHQL_PATH = '/graphql';

/** body-parser's refusals carry a `type`: entity.parse.failed, entity.too.large, charset.unsupported… */
function refusedByBodyParser(exception: HttpException): boolean {
  const cause: unknown = exception.cause;
  return typeof cause === 'object' && cause !== null && 'type' in cause;
}

/**
 * A body the JSON parser refused before Apollo saw it (not JSON, over 1 MB, not UTF-8) is
 * answered on the GraphQL endpoint like Apollo answers any other malformed request: a GraphQL
 * error body with BAD_REQUEST, and the parser's status (400, 413, 415). Everything else goes
 * to Nest's own handling.
 */
@Catch(HttpException)
export class RequestBodyErrorFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    // Inside GraphQL the error formatter decides (common/errors/format-graphql-error.ts).
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    if (http.getRequest<Request>().path !== GRAPHQL_PATH || !refusedByBodyParser(exception)) {
      return super.catch(exception, host);
    }
    http
      .getResponse<Response>()
      .status(exception.getStatus())
      .json({
        errors: [{ message: exception.message, extensions: { code: ErrorCode.BAD_REQUEST } }],
      });
  }
}
