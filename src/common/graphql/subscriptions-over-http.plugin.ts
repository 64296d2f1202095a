import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/error-code.js';

/**
 * Subscriptions are served over WebSocket (graphql-ws) only. Over HTTP, Apollo would run the
 * subscription field's resolver as if it were a query, without an event, and fail inside it:
 * refuse the operation up front instead, as the malformed request it is.
 */
export const subscriptionsOverHttpRefused: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError(
          'Subscriptions are served over WebSocket (graphql-ws protocol) at this same path, not over HTTP',
          { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } },
        );
      },
    };
  },
};
