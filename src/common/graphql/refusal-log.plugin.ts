import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { ErrorCode } from '../errors/error-code.js';
import { domainErrorIn } from '../errors/format-graphql-error.js';
import { addressOf } from '../rate-limit/rate-limits.js';
import type { GraphQLContext } from './graphql-context.js';

export interface RefusalRecord {
  actorId: string;
  operation: string;
  address?: string;
}

/** Reports every FORBIDDEN answer, with who asked for which root field, to be recorded. */
export function refusalLogPlugin(
  record: (refusal: RefusalRecord) => Promise<void>,
): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // Only requests with errors pay for this.
        async didEncounterErrors({ contextValue, errors, operation }) {
          const actorId = contextValue.actor?.id;
          if (!actorId || !operation) return;
          const type = operation.operation[0].toUpperCase() + operation.operation.slice(1);
          for (const error of errors) {
            if (domainErrorIn(error)?.code !== ErrorCode.FORBIDDEN) continue;
            await record({
              actorId,
              operation: `${type}.${String(error.path?.[0] ?? '?')}`,
              address: contextValue.req ? addressOf(contextValue.req as Request) : undefined,
            });
          }
        },
      };
    },
  };
}
