import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../graphql/graphql-context.js';
import { RateLimits } from './rate-limits.js';
import { SIGN_IN_ATTEMPTS } from './sign-in-attempts.decorator.js';

/**
 * Per-employee and sign-in limits, for GraphQL resolvers and HTTP routes alike, checked before
 * the access guard reads the database (the per-address limit is Express middleware, so it
 * also covers requests refused before any resolver runs). Each root field of an operation
 * counts once; subscriptions are left alone (their connection was checked once, and only
 * subscriptions are served over WebSocket).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    let req: Request | undefined;
    if (context.getType<GqlContextType>() === 'graphql') {
      const graphql = GqlExecutionContext.create(context);
      if (graphql.getInfo<GraphQLResolveInfo>().operation.operation === 'subscription') return true;
      req = graphql.getContext<GraphQLContext>().req as Request | undefined;
    } else {
      req = context.switchToHttp().getRequest<Request>();
    }
    if (!req) return true;
    await this.limits.countEmployee(req);
    if (this.reflector.get<boolean>(SIGN_IN_ATTEMPTS, context.getHandler())) {
      await this.limits.countSignIn(req);
    }
    return true;
  }
}
