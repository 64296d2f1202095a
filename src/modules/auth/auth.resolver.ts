import { Args, Context, Info, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { badInput } from '../../common/errors/domain-error.js';
import { rootFieldCount } from '../../common/graphql/root-fields.js';
import type { Request } from 'express';
import { Public } from '../../common/auth/access.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { addressOf } from '../../common/rate-limit/rate-limits.js';
import { LoginInput } from './dto/login.input.js';
import { LoginPayload } from './login.payload.js';
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
}
