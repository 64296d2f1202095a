import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../../common/graphql/connection.js';

/** pg-boss's job states, as clients see them. */
export enum JobState {
  CREATED = 'CREATED',
  RETRY = 'RETRY',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
}

registerEnumType(JobState, {
  name: 'JobState',
  valuesMap: {
    CREATED: { description: 'Waiting: due now, or at `startAfter`.' },
    RETRY: { description: 'An attempt failed or expired; due again at `startAfter`.' },
    ACTIVE: { description: 'Running on some instance.' },
    COMPLETED: { description: 'Done.' },
    CANCELLED: { description: 'Cancelled before it ran.' },
    FAILED: { description: 'Every attempt failed; `error` says why the last one did.' },
  },
});

@ObjectType({ description: 'One piece of scheduled or queued work.' })
export class Job {
  @Field(() => ID)
  id: string;

  @Field({ description: '`<module>.<what>`, e.g. `dashboard.refresh-summaries`.' })
  name: string;

  @Field(() => JobState)
  state: JobState;

  @Field(() => Int, { description: 'Attempts made after the first.' })
  retryCount: number;

  @Field(() => Int)
  retryLimit: number;

  @Field({ description: 'Not run before this instant.' })
  startAfter: Date;

  @Field(() => Date, { nullable: true, description: 'When the latest attempt started.' })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field()
  createdAt: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Why the latest attempt failed (RETRY and FAILED jobs): its message only.',
  })
  error: string | null;

  createdCursor: string;
}

@ObjectType()
export class JobConnection extends Connection(Job) {}

@ObjectType({ description: "How many of a job's runs are in each state (archived ones too)." })
export class JobQueueStats {
  @Field()
  name: string;

  @Field(() => Int)
  created: number;

  @Field(() => Int)
  retry: number;

  @Field(() => Int)
  active: number;

  @Field(() => Int)
  completed: number;

  @Field(() => Int)
  cancelled: number;

  @Field(() => Int)
  failed: number;
}
