import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Connection } from '../../../common/graphql/connection.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import type { Employee } from '../../employee/employee.model.js';
import { InitiativeStatus, MetricDirection } from '../initiative.enums.js';

registerEnumType(InitiativeStatus, { name: 'InitiativeStatus' });
registerEnumType(MetricDirection, { name: 'MetricDirection' });

/**
 * What the figures an initiative shares with its dashboard row (InitiativeOutcome) mean: one
 * text each, so that the same name means the same thing on both types.
 */
export const INITIATIVE_FIGURES = {
  outcomeScore:
    'Outcome score, 0–100: the mean progress of its metrics that have a current reading (each capped to 0–100), rounded to one decimal place; null without any.',
  currentMemberCount: 'People who are members now (those `members` lists).',
  allTimeMemberCount:
    'Everyone who has ever been a member, those who left included (the owner too: they join it when it starts), each counted once.',
  milestoneProgressPercent:
    'Milestones done ÷ milestones, in percent, rounded to one decimal place; null without any.',
  hoursCommittedPerWeek: 'Hours a week its current members give it.',
  memberCountDeprecation: (replacement: string) =>
    `"memberCount" meant members now on Initiative and everyone ever a member on InitiativeOutcome: use ${replacement}.`,
} as const;

@ObjectType({ description: 'An approved idea at work: people, milestones, spending and outcomes.' })
export class Initiative {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field({ description: "The idea's proposal and expected outcomes." })
  summary: string;

  @Field(() => InitiativeStatus)
  status: InitiativeStatus;

  @Field(() => CreditsScalar, { description: 'The credits it was funded with.' })
  budget: number;

  @Field(() => CreditsScalar, {
    description:
      'Credits put into its needs’ escrow, net of escrow returned (its market purchases).',
  })
  spent: number;

  @Field(() => Float, { nullable: true, description: INITIATIVE_FIGURES.outcomeScore })
  outcomeScore: number | null;

  @Field({ description: 'When the idea was approved.' })
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was completed or cancelled.' })
  finishNote: string | null;

  seq: number;
  ownerId: string;
  /** The owner, when the statement that read the initiative read them too. */
  owner?: Employee;
  sponsorTeamId: string;
  accountId: string;
}

@ObjectType()
export class InitiativeConnection extends Connection(Initiative) {}

@ObjectType({ description: 'A person giving an initiative hours each week.' })
export class InitiativeMember {
  @Field(() => Int)
  hoursPerWeek: number;

  @Field()
  joinedAt: Date;

  initiativeId: string;
  employeeId: string;
  /** The member, when the statement that read the membership read them too. */
  employee?: Employee;
}

@ObjectType({ description: 'A team that funded the initiative, and with how much.' })
export class InitiativeFunder {
  @Field(() => CreditsScalar)
  amount: number;

  initiativeId: string;
  teamId: string;
}

@ObjectType()
export class Milestone {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  dueDate: string | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field()
  createdAt: Date;

  initiativeId: string;
  completedById: string | null;
  assigneeId: string | null;
}

@ObjectType({
  description: 'What an initiative promises to move, from a baseline towards a target.',
})
export class OutcomeMetric {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  unit: string;

  @Field(() => Float)
  baseline: number;

  @Field(() => Float)
  target: number;

  @Field(() => MetricDirection)
  direction: MetricDirection;

  @Field(() => Float, {
    nullable: true,
    description:
      'The value of the most recent current reading (by when it was true): a correction counts, ' +
      'the reading it superseded does not.',
  })
  latestValue: number | null;

  @Field(() => Date, { nullable: true })
  latestAt: Date | null;

  @Field()
  createdAt: Date;

  initiativeId: string;
  reporterId: string;
  /** The latest current reading (null: none), when the statement that read the metric read it too. */
  latest?: Measurement | null;
}

@ObjectType({
  description:
    'One reading of an outcome metric. Readings are never changed or deleted: a correction is a ' +
    'new reading, at the same time, that supersedes this one (see supersededBy and correction).',
})
export class Measurement {
  @Field(() => ID)
  id: string;

  @Field(() => Float)
  value: number;

  @Field({ description: 'When the value was true.' })
  at: Date;

  @Field({ description: 'When it was recorded (for a correction: when the correction was made).' })
  recordedAt: Date;

  metricId: string;
  recordedById: string;
  /** The reading that corrected this one; null while it is current. */
  supersededById: string | null;
  /** Why it was corrected (with supersededById). */
  correctionReason: string | null;
}

@ObjectType({
  description: 'How a superseded reading was corrected: by whom, when and why.',
})
export class MeasurementCorrection {
  @Field({ description: 'When the correction was recorded.' })
  at: Date;

  @Field({ description: 'Why the reading was corrected, as its corrector wrote it.' })
  reason: string;

  byId: string;
}

@ObjectType()
export class MeasurementConnection extends Connection(Measurement) {}
