import type { ApolloServerPlugin } from '@apollo/server';
import { createGraphQLErrorFormatter } from '../errors/format-graphql-error.js';
import type { GraphQLContext } from './graphql-context.js';

/**
 * Logs what the client sees only as INTERNAL_SERVER_ERROR, with the id pino-http gave the
 * request (echoed to the client as x-request-id), so a report can be matched to its stack.
 */
export function unexpectedErrorLog(
  report: (error: unknown, requestId?: unknown) => void,
): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // Only requests with errors pay for this.
        async didEncounterErrors({ contextValue, errors }) {
          const requestId = (contextValue.req as { id?: unknown } | undefined)?.id;
          const classify = createGraphQLErrorFormatter((error) => report(error, requestId));
          for (const error of errors) classify(error.toJSON(), error);
        },
      };
    },
  };
}
