import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { RateLimits } from '../../common/rate-limit/rate-limits.js';
import { AuthService } from './auth.service.js';

/** An HTTP request counted against its employee, and whom it was counted for. */
export type RateCountedRequest = Request & { rateLimitSubject?: string };

/**
 * The per-employee limit on plain HTTP routes (CSV exports), checked before the access guard
 * reads the database (registered before it). GraphQL operations are counted whole, before they
 * run, by rateLimitPlugin; subscriptions by the WebSocket server; the per-address limit is
 * Express middleware, so it also covers requests refused before any of these.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limits: RateLimits,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<RateCountedRequest>();
    const subject = await this.auth.subjectOf(req.headers.authorization);
    if (subject) {
      await this.limits.countEmployee(subject);
      req.rateLimitSubject = subject;
    }
    return true;
  }
}
