import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { RateLimits } from './rate-limits.js';

/**
 * The per-employee limit on plain HTTP routes (CSV exports), checked before the access guard
 * reads the database. GraphQL operations are counted whole, before they run, by
 * rateLimitPlugin; subscriptions by the WebSocket server; the per-address limit is Express
 * middleware, so it also covers requests refused before any of these.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    await this.limits.countEmployee(req, req.headers.authorization);
    return true;
  }
}
