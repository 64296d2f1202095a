import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphQLResolveInfo } from 'graphql';
import {
  ACCESS_RULES,
  allows,
  IS_PUBLIC,
  type AccessRule,
  type ResolverArgs,
} from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { AuthService } from './auth.service.js';

/** An HTTP request once the guards have run: whom it acts for, and whom it was counted for. */
export type AuthenticatedRequest = Request & { actor?: Actor; rateLimitSubject?: string };

/**
 * The one place that decides who may call what (registered globally). Every query, mutation
 * and HTTP route needs a valid bearer token unless marked @Public(); an @Access(...) list
 * further restricts it to admins, leads or members of the team named in the arguments, or the
 * employee themself. The actor is loaded once per request and kept in the context.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    let actor: Actor;
    let args: ResolverArgs = {};
    if (context.getType<'graphql' | 'http'>() === 'graphql') {
      const graphql = GqlExecutionContext.create(context);
      const ctx = graphql.getContext<GraphQLContext>();
      // A query may act on an actor read moments ago (ActorCache); a mutation reads it afresh.
      const query = graphql.getInfo<GraphQLResolveInfo>().operation.operation === 'query';
      ctx.actor ??= await this.auth.authenticate(ctx.authorization, query);
      actor = ctx.actor;
      args = graphql.getArgs<ResolverArgs>();
    } else {
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      request.actor ??= await this.auth.authenticate(request.headers.authorization);
      actor = request.actor;
    }

    const rules = this.reflector.getAllAndOverride<AccessRule[] | undefined>(ACCESS_RULES, targets);
    if (rules && !rules.some((rule) => allows(rule, actor, args))) throw forbidden();
    return true;
  }
}
