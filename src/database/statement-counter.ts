import { Logger as NestLogger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * What follows one request through its promises: the statements it has sent, its id, and
 * (tracing on) the span its SQL statements are children of.
 */
export interface RequestScope {
  statements: number;
  /** Of which sent to the read replica. */
  replicaStatements: number;
  /**
   * The id pino-http gave the request (echoed as x-request-id); a job's id for a job run; a
   * fresh one per WebSocket message (so per subscription) when tracing is on.
   */
  readonly requestId?: string;
  /**
   * The span the SQL statements are children of while it is open (see SqlSpans): the GraphQL
   * operation's or the REST request's, a subscription's start or event being resolved, a job run.
   */
  span?: Span;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * Counts the SQL statements one request sends, so tests, benchmarks and metrics can prove that
 * a nested list costs a fixed number of statements (no N+1). The count follows the request
 * through promises and DataLoader batches via AsyncLocalStorage, with the request's id.
 */
export const StatementCounter = {
  /** Runs `work` with a fresh count (an HTTP request, a WebSocket message, a job run). */
  run<T>(work: () => T, requestId?: string, span?: Span): T {
    return storage.run({ statements: 0, replicaStatements: 0, requestId, span }, work);
  },
  current(): number | undefined {
    return storage.getStore()?.statements;
  },
  /** How many of them went to the read replica. */
  currentOnReplica(): number | undefined {
    return storage.getStore()?.replicaStatements;
  },
  /** The read replica's pool is not TypeORM's: it counts its statements here. */
  countReplicaStatement(): void {
    const count = storage.getStore();
    if (!count) return;
    count.statements++;
    count.replicaStatements++;
  },
  /** The running request's scope, if any. */
  scope(): RequestScope | undefined {
    return storage.getStore();
  },
};

const SLOW_QUERY_MS = 1000;

/** TypeORM's logger: counts every statement; reports failed and slow ones through Nest's logger. */
export class CountingQueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('SQL');

  logQuery(): void {
    const count = storage.getStore();
    if (count) count.statements++;
  }

  logQueryError(error: string | Error, query: string): void {
    // Expected refusals (constraint violations) are handled by the services; log at debug.
    this.logger.debug(
      `${error instanceof Error ? error.message : error} -- ${query.slice(0, 200)}`,
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 500)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

export const SLOW_QUERY_THRESHOLD_MS = SLOW_QUERY_MS;
