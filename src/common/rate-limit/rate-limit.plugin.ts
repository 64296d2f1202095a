import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GraphQLContext } from '../graphql/graphql-context.js';
import type { RateLimits } from './rate-limits.js';

/**
 * Counts an operation against its employee's limit once it is known and valid, before any
 * resolver runs: one call per root field, all at once, so an operation is refused whole
 * (HTTP 429, no partial answer) or runs whole.
 */
export function rateLimitPlugin(limits: RateLimits): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!contextValue.req || !operation) return;
          const fragments = new Map(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const calls = rootFieldCount(operation.selectionSet, fragments, new Set());
          await limits.countEmployee(contextValue.req, contextValue.authorization, calls);
        },
      };
    },
  };
}

/** Root fields of an operation, through fragments (each fragment counted once). */
function rootFieldCount(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      count += rootFieldCount(fragment.selectionSet, fragments, seen);
    }
  }
  return Math.max(count, 1);
}
