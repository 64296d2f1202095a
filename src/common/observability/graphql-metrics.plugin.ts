import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { performance } from 'node:perf_hooks';
import { StatementCounter } from '../../database/statement-counter.js';
import { BoundedLabel, type Metrics } from './metrics.js';

/** Distinct operation names kept as labels; later ones are counted as `other`. */
export const MAX_OPERATION_NAMES = 100;
/** Distinct error codes kept as labels (the service has about 15). */
const MAX_ERROR_CODES = 50;

/** An operation that never resolved: unparsable, invalid, or naming no operation of the document. */
export const UNRESOLVED_OPERATION = 'unknown';
export const ANONYMOUS_OPERATION = 'anonymous';
export const OTHER_OPERATION = 'other';

type Outcome = 'ok' | 'error';

/**
 * What every GraphQL request over HTTP costs, by operation name and outcome: how many, how
 * long (from Apollo receiving the request to the response being sent), how many SQL statements,
 * and the errors by `extensions.code`. One hook per request, no SQL: the statement count is
 * the request's own (StatementCounter), read when the answer leaves.
 */
export class GraphQLMetrics {
  private readonly operations = new BoundedLabel(MAX_OPERATION_NAMES, OTHER_OPERATION);
  private readonly codes = new BoundedLabel(MAX_ERROR_CODES, 'OTHER');
  private readonly requests;
  private readonly duration;
  private readonly statements;
  private readonly errors;

  constructor(metrics: Metrics) {
    this.requests = metrics.counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests over HTTP, by operation name and outcome (error: any error in the answer).',
      labelNames: ['operation', 'outcome'] as const,
    });
    this.duration = metrics.histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Time from Apollo receiving a GraphQL request to sending its answer.',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.statements = metrics.histogram({
      name: 'graphql_sql_statements',
      help: 'SQL statements one GraphQL request sent, by operation name.',
      labelNames: ['operation'] as const,
      buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
    });
    this.errors = metrics.counter({
      name: 'graphql_errors_total',
      help: 'Errors in GraphQL answers, by extensions.code.',
      labelNames: ['code'] as const,
    });
  }

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async (context) => this.record(context, started),
        };
      },
    };
  }

  private record(
    { operation, operationName, response }: GraphQLRequestContextWillSendResponse<object>,
    started: number,
  ): void {
    const seconds = (performance.now() - started) / 1000;
    const label = !operation
      ? UNRESOLVED_OPERATION
      : operationName
        ? this.operations.of(operationName)
        : ANONYMOUS_OPERATION;
    const body = response.body;
    const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
    const outcome: Outcome = errors?.length ? 'error' : 'ok';
    this.requests.inc({ operation: label, outcome });
    this.duration.observe({ operation: label, outcome }, seconds);
    const statements = StatementCounter.current();
    if (statements !== undefined) this.statements.observe({ operation: label }, statements);
    for (const error of errors ?? []) {
      const code = error.extensions?.code;
      this.errors.inc({ code: this.codes.of(typeof code === 'string' ? code : 'UNKNOWN') });
    }
  }
}
