import { DynamicModule, Global, Module } from '@nestjs/common';
import { JobQueue, JOBS_DATABASE_URL } from './job-queue.service.js';
import { JobQueueMetrics } from './job-queue.metrics.js';
import { JobRepository } from './job.repository.js';
import { JobsResolver } from './jobs.resolver.js';

/**
 * The job queue (pg-boss, in the application's database, schema `pgboss`): global, so that any
 * module defines and sends its jobs through the injected `JobQueue`.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: JobsModule,
      providers: [
        { provide: JOBS_DATABASE_URL, useValue: databaseUrl },
        JobQueue,
        JobRepository,
        JobsResolver,
        JobQueueMetrics,
      ],
      exports: [JobQueue],
    };
  }
}
