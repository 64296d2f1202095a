import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { rows } from '../../database/sql.js';
import { JOB_QUEUE_SCHEMA } from './job-queue.service.js';
import { Job, JobQueueStats, JobState } from './models/job.model.js';

/** Which jobs a page holds (both conditions apply). */
export interface JobFilter {
  state?: JobState;
  name?: string;
}

/**
 * Every job pg-boss still knows: the live ones and those archived (completed or failed more
 * than 12 hours ago, kept 7 days), minus its own internal queues (`__pgboss__…`).
 */
const JOBS = `(
  SELECT id, name, state, retry_count, retry_limit, start_after, started_on, completed_on,
         created_on, output
    FROM ${JOB_QUEUE_SCHEMA}.job
  UNION ALL
  SELECT id, name, state, retry_count, retry_limit, start_after, started_on, completed_on,
         created_on, output
    FROM ${JOB_QUEUE_SCHEMA}.archive
) j`;
/** How many jobs of a name are in a state. */
export interface JobQueueDepth {
  name: string;
  state: 'created' | 'retry' | 'active' | 'failed';
  jobs: number;
}

/** Job names are the code's own (a few per module): stats list at most this many. */
export const MAX_JOB_NAMES = 200;

const NOT_INTERNAL = `left(j.name, 10) <> '__pgboss__'`;

/**
 * pg-boss keeps a thrown error's serialisation (message, stack…) as the attempt's output, and
 * its own failures (expiry, shutdown) as `{ value: … }`: only the message is ever shown.
 */
const JOB_COLUMNS = `j.id, j.name, upper(j.state::text) AS state, j.retry_count AS "retryCount",
  j.retry_limit AS "retryLimit", j.start_after AS "startAfter", j.started_on AS "startedAt",
  j.completed_on AS "completedAt", j.created_on AS "createdAt",
  CASE WHEN j.state IN ('retry', 'failed') THEN left(coalesce(
    j.output->>'message',
    j.output->'value'->>'message',
    CASE WHEN jsonb_typeof(j.output->'value') = 'string' THEN j.output->>'value' END
  ), 1000) END AS error,
  to_char(j.created_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdCursor"`;

/** Reads pg-boss's tables for admins; pg-boss alone writes them (through JobQueue). */
@Injectable()
export class JobRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. */
  page(filter: JobFilter, first: number, after?: string): Promise<ConnectionResult<Job>> {
    const params = new SqlParams();
    const where = [NOT_INTERNAL];
    if (filter.state) where.push(`j.state = ${params.add(filter.state.toLowerCase())}`);
    if (filter.name) where.push(`j.name = ${params.add(filter.name)}`);
    return keysetPage<Job>((sql, p) => this.dataSource.query(sql, p), {
      select: JOB_COLUMNS,
      from: JOBS,
      where,
      params,
      orderBy: [
        { sql: 'j.created_on', holds: 'timestamp' },
        { sql: 'j.id', holds: 'uuid' },
      ],
      descending: true,
      sortKey: (job) => [job.createdCursor, job.id],
      first,
      after,
    });
  }

  /**
   * The live queue, per job name (the first MAX_JOB_NAMES) and state: waiting (`created`, due
   * or not yet), `retry`, `active`, and `failed` for good (until pg-boss archives them). One
   * statement on the live table only, for metrics scrapes.
   */
  depth(): Promise<JobQueueDepth[]> {
    return rows<JobQueueDepth>(
      this.dataSource,
      `SELECT j.name, j.state::text AS state, count(*)::int AS jobs
         FROM ${JOB_QUEUE_SCHEMA}.job j
        WHERE j.state IN ('created', 'retry', 'active', 'failed') AND ${NOT_INTERNAL}
        GROUP BY j.name, j.state
        ORDER BY j.name
        LIMIT ${MAX_JOB_NAMES * 4}`,
    );
  }

  /** Per job name (the first MAX_JOB_NAMES by name), how many runs are in each state. */
  stats(): Promise<JobQueueStats[]> {
    const count = (state: string) =>
      `count(*) FILTER (WHERE j.state = '${state}')::int AS ${state}`;
    return rows<JobQueueStats>(
      this.dataSource,
      `SELECT j.name, ${['created', 'retry', 'active', 'completed', 'cancelled', 'failed']
        .map(count)
        .join(', ')}
         FROM ${JOBS} WHERE ${NOT_INTERNAL} GROUP BY j.name ORDER BY j.name LIMIT ${MAX_JOB_NAMES}`,
    );
  }
}
