import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ReadRouting } from '../../database/read-routing.js';

/**
 * For HTTP routes that only read (the CSV exports): declares the request read-only, so that its
 * stale-tolerant reads may use the read replica, as a GraphQL query's do. Guards have run by
 * now: the actor was read on the primary.
 */
@Injectable()
export class ReadOnlyRequest implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    ReadRouting.declareReadOnly();
    return next.handle();
  }
}
