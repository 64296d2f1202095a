import { Logger as NestLogger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as TypeOrmLogger } from 'typeorm';

interface StatementCount {
  statements: number;
}

const storage = new AsyncLocalStorage<StatementCount>();

/**
 * Counts the SQL statements one request sends, so tests and benchmarks can prove that a
 * nested list costs a fixed number of statements (no N+1). The count follows the request
 * through promises and DataLoader batches via AsyncLocalStorage.
 */
export const StatementCounter = {
  /** Runs `work` with a fresh count (an HTTP request, a subscription event). */
  run<T>(work: () => T): T {
    return storage.run({ statements: 0 }, work);
  },
  current(): number | undefined {
    return storage.getStore()?.statements;
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
