import { Args, Context, Info, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { badInput } from '../../common/errors/domain-error.js';
import { rootFieldCount } from '../../common/graphql/root-fields.js';
import type { Request } from 'express';
import { Access, Allow, arg, Public } from '../../common/auth/access.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { addressOf } from '../../common/rate-limit/rate-limits.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { ChangePasswordInput } from './dto/change-password.input.js';
import { LoginInput } from './dto/login.input.js';
import { SignOutEverywhereInput } from './dto/sign-out-everywhere.input.js';
import { LoginPayload } from './login.payload.js';
import { SignOutEverywherePayload } from './sign-out.payload.js';
import { AuthService } from './auth.service.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => LoginPayload, {
    description:
      'Exchanges an e-mail and password for a bearer token. Failed attempts are limited per ' +
      'account (each one past the first few waits, doubling) and per address.',
  })
  @Public()
  login(
    @Args('input') input: LoginInput,
    @Context() { req }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LoginPayload> {
    // Each sign-in costs a memory-hard password check: one per request, counted once.
    if (rootFieldCount(info.operation.selectionSet, info.fragments) > 1) {
      throw badInput('login', 'Sign in with one login per request, and nothing else in it');
    }
    return this.auth.login(input, addressOf(req as Request));
  }

  @Mutation(() => LoginPayload, {
    description:
      'Changes your own password: give the current one (BAD_USER_INPUT on ' +
      '`input.currentPassword` if wrong; attempts are throttled like sign-in). Every token ' +
      'issued before stops working; use the fresh one returned.',
  })
  changeMyPassword(
    @Args('input') input: ChangePasswordInput,
    @CurrentActor() actor: Actor,
    @Context() { req }: GraphQLContext,
  ): Promise<LoginPayload> {
    return this.auth.changeMyPassword(actor, input, addressOf(req as Request));
  }

  @Mutation(() => SignOutEverywherePayload, {
    description:
      'Signs an employee out everywhere (yourself, or anyone for an admin): every token issued ' +
      'to them so far stops working at its next request, and their open subscriptions end.',
  })
  @Access(Allow.admin, Allow.self(arg('input.employeeId')))
  signOutEverywhere(
    @Args('input') input: SignOutEverywhereInput,
    @CurrentActor() actor: Actor,
  ): Promise<SignOutEverywherePayload> {
    return this.auth.signOutEverywhere(input.employeeId, actor);
  }
}
