import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { SummaryRefreshRepository } from './summary-refresh.repository.js';

/** The materialized views behind marketStats, in refresh order. */
export const MARKET_VIEWS = [
  'market_need_week',
  'market_fill_time_week',
  'market_rate_week',
  'market_skill_now',
  'market_hours_week',
];

/** The job that refreshes them every DASHBOARD_REFRESH_SECONDS. */
export const REFRESH_SUMMARIES_JOB = 'dashboard.refresh-summaries';

/**
 * Refreshes the dashboard's materialized views, CONCURRENTLY so readers never wait: every
 * DASHBOARD_REFRESH_SECONDS as a periodic job of the job queue (one pending run at a time
 * across instances, picked up again by another instance if the one running it dies), and on
 * demand (`refresh`, after seeding and in tests). The advisory lock stays: the queue keeps its
 * own runs apart, the lock also keeps them apart from on-demand refreshes.
 */
@Injectable()
export class SummaryRefreshService implements OnModuleInit {
  private readonly logger = new Logger(SummaryRefreshService.name);
  private running?: Promise<boolean>;

  constructor(
    private readonly repository: SummaryRefreshRepository,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const seconds = this.config.dashboardRefreshSeconds;
    await this.jobs.define({
      name: REFRESH_SUMMARIES_JOB,
      // 0: no periodic run; the job still runs when asked (JobQueue.runNow).
      everySeconds: seconds > 0 ? seconds : undefined,
      // A refresh missed is made up by the next one: no long retry tail.
      retryLimit: 1,
      retryDelaySeconds: 5,
      expireInSeconds: 10 * 60,
      handler: async () => {
        if (!(await this.refresh())) this.logger.debug('another refresh is running: skipped');
      },
    });
  }

  /** Refreshes every view now (unless another session is already at it); true if this call did. */
  refresh(): Promise<boolean> {
    this.running ??= this.refreshOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Not a unit of work: REFRESH MATERIALIZED VIEW CONCURRENTLY is maintenance of the module's
   * own read models, not a domain mutation, and runs as autocommit statements on one session
   * (no audit, no idempotency); a transaction around it would only hold the views' locks
   * longer. Each view is refreshed and stamped through one repository call.
   */
  private refreshOnce(): Promise<boolean> {
    return this.repository.whileRefreshLocked(async (session) => {
      for (const view of MARKET_VIEWS) await this.repository.refreshView(session, view);
    });
  }
}
