import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { SummaryRefreshRepository } from './summary-refresh.repository.js';

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
    private readonly repository: SummaryRefreshRepository,
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

  /**
   * Not a unit of work: REFRESH MATERIALIZED VIEW CONCURRENTLY is maintenance of the module's
   * own read models, not a domain mutation, and ran as autocommit statements on one session
   * before (no audit, no idempotency); a transaction around it would only hold the views' locks
   * longer. Each view is refreshed and stamped through one repository call.
   */
  private refreshOnce(): Promise<boolean> {
    return this.repository.whileRefreshLocked(async (session) => {
      for (const view of MARKET_VIEWS) await this.repository.refreshView(session, view);
    });
  }

  private report(error: unknown): void {
    this.logger.warn(
      `refreshing dashboard summaries failed: ${error instanceof Error ? error.message : error}`,
    );
  }
}
