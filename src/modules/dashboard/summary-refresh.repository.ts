import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadDb } from '../../database/read-db.js';
import { rows, type Db } from '../../database/sql.js';

/** The advisory lock that lets one instance at a time refresh the summaries. */
const REFRESH_LOCK = `hashtext('mbd:summaries')`;

/**
 * The dashboard's own objects: its materialized views and `summary_refresh`, which says when
 * each was last refreshed.
 */
@Injectable()
export class SummaryRefreshRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /**
   * Runs `work` on one dedicated connection (a session, not a transaction) while it holds the
   * refresh advisory lock; false, without running it, if another session holds the lock.
   * Session-level because REFRESH … CONCURRENTLY is maintenance, not a domain mutation: each
   * view is refreshed and stamped on its own, and readers never wait on a long transaction.
   */
  async whileRefreshLocked(work: (session: Db) => Promise<void>): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await rows<{ locked: boolean }>(
        runner,
        `SELECT pg_try_advisory_lock(${REFRESH_LOCK}) AS locked`,
      );
      if (!locked) return false;
      try {
        await work(runner);
        return true;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(${REFRESH_LOCK})`);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Refreshes one materialized view without blocking its readers, then stamps the time.
   * `view` is one of the module's own view names, never user input.
   */
  async refreshView(session: Db, view: string): Promise<void> {
    await session.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
    await session.query(
      `INSERT INTO summary_refresh (name, refreshed_at) VALUES ($1, now())
       ON CONFLICT (name) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at`,
      [view],
    );
  }

  /** When the stalest of these views was refreshed; now if none ever was. */
  async oldestRefresh(views: string[], db: Db = this.reads): Promise<Date> {
    const [{ asOf }] = await rows<{ asOf: Date }>(
      db,
      `SELECT coalesce(min(refreshed_at), now()) AS "asOf" FROM summary_refresh WHERE name = ANY($1)`,
      [views],
    );
    return asOf;
  }
}
