import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ErrorCode } from './error-code.js';

const GRAPHQL_PATH = '/graphql';
const SCIM_PATH = '/scim/';

/** body-parser's refusals carry a `type`: entity.parse.failed, entity.too.large, charset.unsupported… */
function refusedByBodyParser(exception: HttpException): boolean {
  const cause: unknown = exception.cause;
  return typeof cause === 'object' && cause !== null && 'type' in cause;
}

/**
 * A body the JSON parser refused before Apollo saw it (not JSON, over 1 MB, not UTF-8) is
 * answered on the GraphQL endpoint like Apollo answers any other malformed request: a GraphQL
 * error body with BAD_REQUEST, and the parser's status (400, 413, 415). Under /scim/ every
 * HTTP refusal that reaches no SCIM controller (a refused body, an unknown route or method) is a
 * SCIM error body (RFC 7644 §3.12), which identity providers read. Everything else goes to Nest's
 * own handling.
 */
@Catch(HttpException)
export class RequestBodyErrorFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    // Inside GraphQL the error formatter decides (common/errors/format-graphql-error.ts).
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const path = http.getRequest<Request>().path;
    if (path.startsWith(SCIM_PATH)) {
      const status = exception.getStatus();
      http
        .getResponse<Response>()
        .status(status)
        .type('application/scim+json')
        .send(
          JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: String(status),
            ...(refusedByBodyParser(exception) ? { scimType: 'invalidSyntax' } : {}),
            detail: exception.message,
          }),
        );
      return;
    }
    if (path !== GRAPHQL_PATH || !refusedByBodyParser(exception)) {
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
