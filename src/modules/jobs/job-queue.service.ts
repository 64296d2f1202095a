import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { inTransaction, openJobQueuePool, type JobQueuePool } from '../../database/job-queue-db.js';
import type { PoolStats } from '../../database/pool-stats.js';
import type { Db } from '../../database/sql.js';
import { Metrics } from '../../common/observability/metrics.js';
import { Tracing } from '../../common/observability/tracing.js';
import { JobTracing } from './job-tracing.js';

/** The PostgreSQL schema of pg-boss's tables (installed by migrations/…-JobQueue.ts). */
export const JOB_QUEUE_SCHEMA = 'pgboss';
/** The database the queue lives in: the application's own. */
export const JOBS_DATABASE_URL = Symbol('JOBS_DATABASE_URL');

/** How long shutdown waits for running handlers before failing them back to the queue. */
const SHUTDOWN_GRACE_MS = 10_000;
/** The singleton key of a periodic job's next run, and of a "run now" request. */
const NEXT_RUN = 'every';
const RUN_NOW = 'run-now';

/** What a handler knows of the job it runs. */
export interface JobContext {
  id: string;
  name: string;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
}

export interface JobDefinition<T extends object = object> {
  /** `<module>.<what>`, e.g. `dashboard.refresh-summaries`; one definition per name. */
  name: string;
  /**
   * Runs the job; throwing fails the attempt (retried while retries remain). A job runs once,
   * but a worker killed after the handler's effects and before the job was marked completed
   * runs it again: handlers must be idempotent (check, then act, in one transaction).
   */
  handler: (data: T, job: JobContext) => Promise<unknown> | unknown;
  /** A cron expression (UTC, minute-granular): the job is sent by whichever instance's clock ticks first. */
  cron?: string;
  /**
   * Runs every so many seconds, as one self-rescheduling job: each run first sends the next, so
   * neither a failure nor a crash breaks the chain, and however many instances run there is
   * one pending run at a time.
   */
  everySeconds?: number;
  /**
   * How many waiting jobs a worker takes at once, running them one after another, each its own
   * attempt (one failing is retried alone): a queue of many short jobs (an e-mail per
   * recipient) is worked at the speed of its handler, not one job per polling interval.
   * 1 by default.
   */
  batchSize?: number;
  /** Retries after a failed (or expired) attempt: 3 by default. */
  retryLimit?: number;
  /** Before the first retry: 5 s by default. */
  retryDelaySeconds?: number;
  /** Double the delay at each retry (with jitter): on by default. */
  retryBackoff?: boolean;
  /**
   * How long an attempt may run (15 min by default). Past it the attempt fails; a job whose
   * worker died is retried by another instance within JOBS_MAINTENANCE_INTERVAL_SECONDS after.
   */
  expireInSeconds?: number;
}

/** A definition whatever its data (only its own handler reads the data). */
type AnyJobDefinition = JobDefinition<never>;

export interface SendOptions {
  /** The unit of work's transaction: the job exists only if it commits. */
  tx?: Db;
  /** Not before this instant, or this many seconds from now. */
  startAfter?: Date | number;
  /** For periodic jobs, at most one pending job per key (other jobs ignore it). */
  singletonKey?: string;
}

/**
 * Work that must happen, later or elsewhere, and must not be lost: a PostgreSQL-backed queue
 * (pg-boss). A job is fetched by one worker of one instance (`FOR UPDATE SKIP LOCKED`),
 * retried with backoff when it fails, and given to another instance when its worker dies
 * mid-job (once it has expired). Owning modules `define` their jobs in `onModuleInit` and
 * `send` them from their services, in the unit of work that causes them.
 */
@Injectable()
export class JobQueue
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(JobQueue.name);
  private readonly definitions = new Map<string, AnyJobDefinition>();
  private readonly installed = new Set<string>();
  private pool?: JobQueuePool;
  private started?: Promise<PgBoss>;
  private stopping = false;
  private readonly failedAttempts;
  /** With tracing on only: a span per attempt. */
  private readonly tracing?: JobTracing;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOBS_DATABASE_URL) private readonly databaseUrl: string,
    metrics: Metrics,
    tracing: Tracing,
  ) {
    if (tracing.tracer) this.tracing = new JobTracing(tracing.tracer);
    this.failedAttempts = metrics.counter({
      name: 'job_attempts_failed_total',
      help: 'Job attempts whose handler threw in this instance, by job name (each is retried while retries remain).',
      labelNames: ['name'] as const,
    });
  }

  /** The connections of the queue's own pool, once it has started. */
  poolStats(): PoolStats | undefined {
    return this.pool?.stats();
  }

  /** Registers a job; its worker (and schedule) starts with the application, or now if it has. */
  async define<T extends object>(definition: JobDefinition<T>): Promise<void> {
    if (this.definitions.has(definition.name)) {
      throw new Error(`job ${definition.name} is already defined`);
    }
    if (definition.everySeconds !== undefined && !(definition.everySeconds >= 1)) {
      throw new Error(`job ${definition.name}: everySeconds must be at least 1`);
    }
    this.definitions.set(definition.name, definition);
    if (this.started) await this.install(await this.started, definition);
  }

  /** Enqueues a job; its id, or null when a singleton key kept it out (one is already pending). */
  async send<T extends object>(
    name: string,
    data: T,
    options: SendOptions = {},
  ): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`no job named ${name} is defined`);
    const boss = await this.whenStarted();
    return boss.send(name, data, {
      startAfter: options.startAfter,
      singletonKey: options.singletonKey,
      db: options.tx ? inTransaction(options.tx) : undefined,
    });
  }

  /** Enqueues one job per data, in one statement (e.g. in the transaction that causes them). */
  async sendMany<T extends object>(
    name: string,
    data: T[],
    options: Pick<SendOptions, 'tx'> & { singletonKeyOf?: (item: T) => string } = {},
  ): Promise<void> {
    if (!this.definitions.has(name)) throw new Error(`no job named ${name} is defined`);
    if (data.length === 0) return;
    const boss = await this.whenStarted();
    await boss.insert(
      data.map((item) => ({ name, data: item, singletonKey: options.singletonKeyOf?.(item) })),
      { db: options.tx ? inTransaction(options.tx) : undefined },
    );
  }

  /**
   * Runs a defined job now (a periodic one too, whatever its next run): its id, or null if a
   * "run now" of it is already waiting.
   */
  runNow(name: string): Promise<string | null> {
    return this.send(name, {}, { singletonKey: RUN_NOW });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = this.start();
    await this.started;
  }

  /** Stops fetching, lets running handlers finish (a bounded wait), fails the rest back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const boss = await this.started?.catch(() => undefined);
    await boss?.stop({ graceful: true, wait: true, close: false, timeout: SHUTDOWN_GRACE_MS });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }

  private async start(): Promise<PgBoss> {
    const { jobs, databaseApplicationName } = this.config;
    this.pool = openJobQueuePool({
      url: this.databaseUrl,
      size: jobs.poolSize,
      applicationName: `${databaseApplicationName}-jobs`,
      onError: (error) => this.report('job queue connection', error),
    });
    const boss = new PgBoss({
      db: this.pool,
      schema: JOB_QUEUE_SCHEMA,
      // The schema is the migrations' (migrations/…-JobQueue.ts): start refuses a stale one.
      migrate: false,
      // Without workers nothing polls: this instance only sends.
      supervise: jobs.workers,
      schedule: jobs.workers,
      maintenanceIntervalSeconds: jobs.maintenanceIntervalSeconds,
      pollingIntervalSeconds: jobs.pollIntervalMs / 1000,
    });
    boss.on('error', (error) => this.report('job queue', error));
    await boss.start();
    // Definitions made while this runs are installed here (a Map iterates what is added).
    for (const definition of this.definitions.values()) await this.install(boss, definition);
    return boss;
  }

  private whenStarted(): Promise<PgBoss> {
    if (!this.started) throw new Error('the job queue starts with the application');
    return this.started;
  }

  /** Creates (or updates) the job's queue; with workers on, works it and keeps its schedule. */
  private async install(boss: PgBoss, definition: AnyJobDefinition): Promise<void> {
    const { name } = definition;
    if (this.installed.has(name)) return;
    this.installed.add(name);
    const queue: PgBoss.Queue = {
      name,
      // One pending, one retrying, one running job per singleton key: a periodic job's chain
      // stays one chain however many instances seed it.
      policy: definition.everySeconds ? 'stately' : 'standard',
      retryLimit: definition.retryLimit ?? 3,
      retryDelay: definition.retryDelaySeconds ?? 5,
      retryBackoff: definition.retryBackoff ?? true,
      expireInSeconds: definition.expireInSeconds ?? 15 * 60,
    };
    await boss.createQueue(name, queue);
    await boss.updateQueue(name, queue);
    if (!this.config.jobs.workers) return;
    const batchSize = definition.batchSize ?? 1;
    await boss.work<object>(name, { includeMetadata: true, batchSize }, (jobs) =>
      batchSize === 1 ? this.run(boss, definition, jobs[0]) : this.runEach(boss, definition, jobs),
    );
    if (definition.cron) await boss.schedule(name, definition.cron, {}, { tz: 'UTC' });
    else await boss.unschedule(name);
    if (definition.everySeconds) await this.sendNextRun(boss, definition);
  }

  private run(
    boss: PgBoss,
    definition: AnyJobDefinition,
    job: PgBoss.JobWithMetadata<object>,
  ): Promise<unknown> {
    const attempt = () => this.attempt(boss, definition, job);
    return this.tracing ? this.tracing.attempt(job, attempt) : attempt();
  }

  private async attempt(
    boss: PgBoss,
    definition: AnyJobDefinition,
    job: PgBoss.JobWithMetadata<object>,
  ): Promise<unknown> {
    // First, so that neither a failure nor a crash of this run stops the ones after it.
    if (definition.everySeconds && job.singletonKey === NEXT_RUN) {
      await this.sendNextRun(boss, definition);
    }
    try {
      return await definition.handler(job.data as never, {
        id: job.id,
        name: job.name,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
      });
    } catch (error) {
      this.failedAttempts.inc({ name: definition.name });
      this.logger.warn(
        `job ${job.name} ${job.id} failed (attempt ${job.retryCount + 1} of ${job.retryLimit + 1}): ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      throw error;
    }
  }

  /**
   * A batch, one job after another: a job that fails is failed (and retried) here, alone; pg-boss
   * completes the others when this returns (it completes only jobs still active). Jobs not yet
   * run when the instance stops, or half their time has gone on those before them (slow
   * handlers: they would expire and run elsewhere meanwhile), are failed back to the queue.
   */
  private async runEach(
    boss: PgBoss,
    definition: AnyJobDefinition,
    jobs: PgBoss.JobWithMetadata<object>[],
  ): Promise<void> {
    const deadline = Date.now() + ((definition.expireInSeconds ?? 15 * 60) * 1000) / 2;
    for (const job of jobs) {
      const failure = this.stopping
        ? new Error('the instance stopped before the job ran')
        : Date.now() > deadline
          ? new Error('the jobs fetched with it took too long: left for another attempt')
          : await this.run(boss, definition, job).then(
              () => undefined,
              (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
            );
      if (failure) await boss.fail(definition.name, job.id, { message: failure.message });
    }
  }

  private sendNextRun(boss: PgBoss, definition: AnyJobDefinition): Promise<string | null> {
    return boss.send(
      definition.name,
      {},
      {
        singletonKey: NEXT_RUN,
        startAfter: definition.everySeconds,
      },
    );
  }

  private report(what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    // A pool closing under a last poll at shutdown is expected.
    if (this.stopping) this.logger.debug(`${what}: ${message}`);
    else this.logger.error(`${what}: ${message}`);
  }
}
