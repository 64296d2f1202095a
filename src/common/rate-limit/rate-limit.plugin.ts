import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import type { GraphQLContext } from '../graphql/graphql-context.js';
import { rootFieldCount } from '../graphql/root-fields.js';
import type { RateLimits } from './rate-limits.js';

/**
 * Counts an operation against its employee's limit once it is known and valid, before any
 * resolver runs: one call per root field, all at once, so an operation is refused whole
 * (HTTP 429, no partial answer) or runs whole.
 */
export function rateLimitPlugin(
  limits: RateLimits,
  subjectOf: (authorization: string | undefined) => Promise<string | undefined>,
): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!contextValue.req || !operation) return;
          const subject = await subjectOf(contextValue.authorization);
          if (!subject) return;
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const calls = Math.max(1, rootFieldCount(operation.selectionSet, fragments));
          await limits.countEmployee(subject, calls);
        },
      };
    },
  };
}
