import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSourceOptions } from 'typeorm';
import { CountingQueryLogger, SLOW_QUERY_THRESHOLD_MS } from './statement-counter.js';
import { PreparingClient } from './preparing-client.js';

/**
 * Where the migrations (and the entities, which only migrations use) are: next to this module's
 * sources (`src/database`), in its build (`dist/src/database`), or, in the service bundle
 * (dist/bundle/main.mjs, scripts/bundle-service.mjs), the build's: the bundle holds no entity
 * (loading their files would load a second TypeORM) and runs the built migrations.
 */
declare const MBD_BUNDLED: boolean | undefined;
const bundled = typeof MBD_BUNDLED !== 'undefined' && MBD_BUNDLED;
const root = bundled
  ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sourceExtensions = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** How long to wait for a free pooled connection before giving up (ms). */
  poolTimeoutMs?: number;
  /** `application_name` in pg_stat_activity, to tell instances and tools apart. */
  applicationName?: string;
  /** A streaming replica for reads that may be stale (README, "Read replica"). */
  readReplica?: { url: string; maxLagMs: number; checkIntervalMs: number };
}

export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: bundled ? [] : [path.join(root, `src/**/*.entity.${sourceExtensions}`)],
    migrations: [path.join(root, `migrations/*.${sourceExtensions}`)],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logger: new CountingQueryLogger(),
    maxQueryExecutionTime: SLOW_QUERY_THRESHOLD_MS,
    applicationName: options.applicationName ?? 'market-based-dynamics',
    extra: {
      // Parameterised statements run prepared: parsed once per connection, planned from
      // PostgreSQL's plan cache (preparing-client.ts; bench/RESULTS.md for what it saves).
      Client: PreparingClient,
      max: options.poolSize ?? 10,
      // An exhausted pool answers SERVICE_UNAVAILABLE after this long instead of queueing for ever.
      connectionTimeoutMillis: options.poolTimeoutMs ?? 5_000,
      // A statement that runs away must not hold locks for ever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}
