import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor } from '../auth/actor.js';
import { unauthenticated } from '../errors/domain-error.js';
import type { GraphQLContext } from './graphql-context.js';
import type { RequestLoaders } from './request-loaders.js';

const contextOf = (execution: ExecutionContext): GraphQLContext =>
  GqlExecutionContext.create(execution).getContext<GraphQLContext>();

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
