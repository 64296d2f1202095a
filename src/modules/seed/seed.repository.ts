import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rows, type Db } from '../../database/sql.js';

/** The advisory lock that makes instances starting together seed once. */
const SEED_LOCK = `hashtext('mbd:seed')`;

/** What seeding asks the database itself; every row it creates goes through domain services. */
@Injectable()
export class SeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` on one dedicated connection (a session) holding the seeding advisory lock,
   * waiting for it if another instance is seeding. The lock is released even if `work` fails.
   */
  async whileSeedLocked<T>(work: (session: Db) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(${SEED_LOCK})`);
      return await work(runner);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${SEED_LOCK})`).catch(() => undefined);
      await runner.release();
    }
  }

  /** True while there is no team and no employee: nothing to trample. */
  async isEmpty(db: Db = this.dataSource): Promise<boolean> {
    const [{ empty }] = await rows<{ empty: boolean }>(
      db,
      `SELECT NOT EXISTS (SELECT 1 FROM team) AND NOT EXISTS (SELECT 1 FROM employee) AS empty`,
    );
    return empty;
  }
}
