import { Injectable, Logger } from '@nestjs/common';
import { Metrics } from '../../common/observability/metrics.js';
import { JobQueue } from './job-queue.service.js';
import { JobRepository } from './job.repository.js';

/**
 * The job queue as Prometheus sees it, read when it scrapes (nothing on the request path): the
 * queue's depth per job name and state (one statement), and its own pool's connections.
 * Failed attempts are counted by JobQueue as they happen (`mbd_job_attempts_failed_total`).
 */
@Injectable()
export class JobQueueMetrics {
  private readonly logger = new Logger(JobQueueMetrics.name);

  constructor(metrics: Metrics, queue: JobQueue, repository: JobRepository) {
    metrics.watchPool('jobs', () => queue.poolStats());
    const jobs = metrics.gauge({
      name: 'job_queue_jobs',
      help: 'Jobs in the queue by name and state: created (waiting, due or not), retry, active, failed (for good, until archived).',
      labelNames: ['name', 'state'] as const,
      collect: async () => {
        jobs.reset();
        try {
          for (const { name, state, jobs: count } of await repository.depth()) {
            jobs.set({ name, state }, count);
          }
        } catch (error) {
          // A scrape still answers (pool and process metrics) when the database does not.
          this.logger.warn(`job queue depth unavailable: ${(error as Error).message}`);
        }
      },
    });
  }
}
