import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { serviceUnavailable } from '../common/errors/domain-error.js';
import { isPoolExhausted, isRetryableTransactionError } from '../common/errors/postgres-errors.js';

const MAX_ATTEMPTS = 5;
const BASE_BACKOFF_MS = 10;

export interface TransactionOptions {
  isolation?: IsolationLevel;
}

/**
 * Runs a unit of work in one PostgreSQL transaction. Serialization failures and deadlocks
 * roll the whole attempt back and run it again (bounded, with jittered backoff), so clients
 * never see them; every other error rolls back and propagates.
 */
@Injectable()
export class Transactions {
  private readonly logger = new Logger(Transactions.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(
    work: (manager: EntityManager) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        // READ COMMITTED is PostgreSQL's own default: naming it would cost a second statement
        // (TypeORM sends SET TRANSACTION after START TRANSACTION). The services' locking is
        // written for it: leave default_transaction_isolation at read committed.
        return await (options.isolation
          ? this.dataSource.transaction(options.isolation, work)
          : this.dataSource.transaction(work));
      } catch (error) {
        if (isPoolExhausted(error)) throw serviceUnavailable();
        if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        const backoff = BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random());
        this.logger.debug(`transaction retry ${attempt} after ${(error as Error).message}`);
        await delay(backoff);
      }
    }
  }
}
