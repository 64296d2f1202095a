import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** What a pg pool holds right now. */
export interface PoolStats {
  /** Connections checked out (running a statement or holding a transaction). */
  inUse: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
  max: number;
}

export function statsOf(pool: Pool): PoolStats {
  return {
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 10,
  };
}

/** The pg pool behind the application's DataSource (TypeORM's postgres driver keeps it as `master`). */
export function applicationPoolStats(dataSource: DataSource): PoolStats | undefined {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  return pool ? statsOf(pool) : undefined;
}
