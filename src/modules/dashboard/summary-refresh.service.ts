import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

/** The materialized views behind marketStats, in refresh order. */
export const MARKET_VIEWS = [
  'market_need_week',
  'market_fill_time_week',
  'market_rate_week',
  'market_skill_now',
];

/**
 * Refreshes the dashboard's materialized views every DASHBOARD_REFRESH_SECONDS, CONCURRENTLY
 * so readers never wait. One instance at a time does it (a PostgreSQL advisory lock): with
 * several instances the refresh still happens once per period.
 */
@Injectable()
export class SummaryRefreshService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SummaryRefreshService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<boolean>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.dashboardRefreshSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(
      () => void this.refresh().catch((e: unknown) => this.report(e)),
      seconds * 1000,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Refreshes every view now (unless another instance is already at it); true if this call did. */
  refresh(): Promise<boolean> {
    this.running ??= this.refreshOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async refreshOnce(): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        `SELECT pg_try_advisory_lock(hashtext('mbd:summaries')) AS locked`,
      )) as {
        locked: boolean;
      }[];
      if (!locked) return false;
      try {
        for (const view of MARKET_VIEWS) {
          await runner.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
          await runner.query(
            `INSERT INTO summary_refresh (name, refreshed_at) VALUES ($1, now())
             ON CONFLICT (name) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at`,
            [view],
          );
        }
        return true;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('mbd:summaries'))`);
      }
    } finally {
      await runner.release();
    }
  }

  private report(error: unknown): void {
    this.logger.warn(
      `refreshing dashboard summaries failed: ${error instanceof Error ? error.message : error}`,
    );
  }
}
