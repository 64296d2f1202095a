import pg from 'pg';
import { statsOf, type PoolStats } from './pool-stats.js';
import { rows, type Db } from './sql.js';

/** What pg-boss runs its SQL through (its `db` option, per instance or per call). */
export interface JobQueueDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The job queue's own pool: closed by `close`, after the queue has stopped. */
export interface JobQueuePool extends JobQueueDb {
  close(): Promise<void>;
  /** Its connections now (for metrics). */
  stats(): PoolStats;
}

export interface JobQueuePoolOptions {
  url: string;
  size: number;
  applicationName: string;
  /** Errors of idle connections (a killed backend): reported, never thrown at the process. */
  onError: (error: Error) => void;
}

/**
 * Worth another try: a dropped connection or a restarting server (on a fresh connection), and a
 * deadlock victim (instances starting together create the same new queue's partition at once;
 * the loser's statement was rolled back whole, and finds the queue there on its retry).
 */
const TRANSIENT = new Set([
  ...['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET'],
  '40P01',
]);
const isTransient = (error: unknown): boolean => {
  const { code, message } = error as { code?: string; message?: string };
  return (
    (code !== undefined && TRANSIENT.has(code)) || /Connection terminated/i.test(message ?? '')
  );
};

/**
 * A small pool of its own for pg-boss (polling, completing and failing jobs, maintenance), so
 * that the queue never waits behind requests for the application's pool, nor they behind it.
 * pg-boss completes a job without awaiting the promise: a statement that fails there would be
 * an unhandled rejection, so a connection dropped under it (a killed backend) is retried on a
 * fresh one, a few times, before the error is let through. Deadlocks are retried the same way.
 */
export function openJobQueuePool(options: JobQueuePoolOptions): JobQueuePool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size,
    application_name: options.applicationName,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
  });
  pool.on('error', options.onError);
  return {
    async executeSql(text, values) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await pool.query(text, values);
        } catch (error) {
          if (attempt >= 3 || !isTransient(error) || pool.ending) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    },
    close: () => (pool.ending ? Promise.resolve() : pool.end()),
    stats: () => statsOf(pool),
  };
}

/**
 * pg-boss's statements run in a transaction of ours (the unit of work's `Tx`): a job sent this
 * way is inserted with the change that causes it and rolls back with it.
 */
export function inTransaction(tx: Db): JobQueueDb {
  return { executeSql: async (text, values) => ({ rows: await rows(tx, text, values ?? []) }) };
}
