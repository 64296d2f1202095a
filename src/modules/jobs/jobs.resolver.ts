import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { JobsArgs } from './dto/jobs.args.js';
import { JobRepository, MAX_JOB_NAMES } from './job.repository.js';
import { Job, JobConnection, JobQueueStats } from './models/job.model.js';

/** Admins see the queue: what is due, running, retrying, done and failed (and why). */
@Resolver(() => Job)
export class JobsResolver {
  constructor(private readonly repository: JobRepository) {}

  @Query(() => JobConnection, { description: 'Admin only. Newest first.' })
  @AdminOnly()
  jobs(@Args() args: JobsArgs): Promise<ConnectionResult<Job>> {
    return this.repository.page(args.filter ?? {}, args.first, args.after);
  }

  @Query(() => [JobQueueStats], { description: atMost(MAX_JOB_NAMES, 'Admin only. By job name.') })
  @MaxItems(MAX_JOB_NAMES)
  @AdminOnly()
  jobQueueStats(): Promise<JobQueueStats[]> {
    return this.repository.stats();
  }
}
