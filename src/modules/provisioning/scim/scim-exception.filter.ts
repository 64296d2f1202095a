import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../../common/errors/domain-error.js';
import { ScimError, SCIM_MEDIA_TYPE, scimErrorOf } from './scim-error.js';

/**
 * Every failure on /scim/v2 answers as RFC 7644 §3.12 says: a SCIM error body, in
 * application/scim+json, with the HTTP status (and a scimType where one applies). Unexpected
 * errors are logged and answer 500 without detail.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.scimErrorOf(exception);
    if (error.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    response.status(error.status).type(SCIM_MEDIA_TYPE).send(JSON.stringify(error.body));
  }

  private scimErrorOf(exception: unknown): ScimError {
    if (exception instanceof ScimError) return exception;
    if (exception instanceof DomainError) return scimErrorOf(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new ScimError(status, exception.message, status === 400 ? 'invalidSyntax' : undefined);
    }
    this.logger.error(exception);
    return new ScimError(500, 'Something went wrong on our side');
  }
}
