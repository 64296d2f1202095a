import type { ApolloServerPlugin } from '@apollo/server';
import { StatementCounter } from '../../database/statement-counter.js';

export const STATEMENT_COUNT_HEADER = 'x-sql-statements';
/** Of those, how many the read replica answered (README, "Read replica"). */
export const REPLICA_STATEMENT_COUNT_HEADER = 'x-sql-replica-statements';

/** Reports how many SQL statements the operation cost, in a response header (for tests and benchmarks). */
export const statementCountPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const statements = StatementCounter.current();
        if (statements !== undefined)
          response.http.headers.set(STATEMENT_COUNT_HEADER, String(statements));
        const onReplica = StatementCounter.currentOnReplica();
        if (onReplica !== undefined)
          response.http.headers.set(REPLICA_STATEMENT_COUNT_HEADER, String(onReplica));
      },
    };
  },
};
