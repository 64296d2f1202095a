import type { ApolloServerPlugin } from '@apollo/server';
import { ReadRouting } from '../../database/read-routing.js';

/**
 * Declares a query operation read-only, so that its stale-tolerant reads (dashboards, browsing
 * lists) may use the read replica; a mutation's reads all stay on the primary. Subscriptions
 * are served by graphql-ws, outside any HTTP request: their events are read on the primary,
 * right after the commit that published them.
 */
export const readRoutingPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'query') ReadRouting.declareReadOnly();
      },
    };
  },
};
