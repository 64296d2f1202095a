import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { answerDomainError } from './domain-error.filter.js';
import { serviceUnavailable } from './domain-error.js';
import { isPoolExhausted } from './postgres-errors.js';

/**
 * An HTTP route (CSV export, dashboard page, or its guard loading the actor) that found every
 * pooled connection busy for DB_POOL_TIMEOUT_MS is refused as GraphQL refuses it: a coded
 * SERVICE_UNAVAILABLE (503, retry-after), not an uncoded 500. Catches everything, so it is
 * registered before the other filters (Nest tries global filters last-registered first); any
 * other error gets Nest's own handling, unchanged.
 */
@Catch()
export class PoolExhaustedHttpFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    // Elsewhere (GraphQL) nothing is answered here: the error formatter codes it.
    if (host.getType() !== 'http') return;
    if (!isPoolExhausted(exception)) return super.catch(exception, host);
    answerDomainError(host.switchToHttp().getResponse<Response>(), serviceUnavailable());
  }
}
