import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor } from '../auth/actor.js';
import { unauthenticated } from '../errors/domain-error.js';
import type { GraphQLContext } from './graphql-context.js';
import type { RequestLoaders } from './request-loaders.js';

const contextOf = (execution: ExecutionContext): GraphQLContext =>
  GqlExecutionContext.create(execution).getContext<GraphQLContext>();

/*
 * Field resolvers that need only their parent and the request's loaders take GraphQL's own
 * arguments instead of these decorators: `bidder(bid: Bid, _: unknown, { loaders }: GraphQLContext)`.
 * Without parameter decorators @nestjs/graphql binds the method directly; with them every call
 * goes through Nest's context and pipes, which on a page of needs with bids and bidders (some
 * 1 300 calls) cost more than the rest of the request. Field resolvers get no guards either way
 * (no fieldResolverEnhancers), so authorisation is unchanged.
 */

/** The signed-in employee (set by the access guard). */
export const CurrentActor = createParamDecorator(
  (_: unknown, execution: ExecutionContext): Actor => {
    const actor = contextOf(execution).actor;
    if (!actor) throw unauthenticated();
    return actor;
  },
);

/** This request's DataLoaders. */
export const Loaders = createParamDecorator(
  (_: unknown, execution: ExecutionContext): RequestLoaders => contextOf(execution).loaders,
);
