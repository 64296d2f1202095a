import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Connection } from '../../../common/graphql/connection.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { InitiativeStatus, MetricDirection } from '../initiative.enums.js';

registerEnumType(InitiativeStatus, { name: 'InitiativeStatus' });
registerEnumType(MetricDirection, { name: 'MetricDirection' });

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

  @Field(() => Float, {
    nullable: true,
    description:
      'Outcome score: the mean progressPercent of its metrics that have a measurement; null without any.',
  })
  outcomeScore: number | null;

  @Field({ description: 'When the idea was approved.' })
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was completed or cancelled.' })
  finishNote: string | null;

  seq: number;
  ownerId: string;
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
    description: 'The most recent reading (by when it was true).',
  })
  latestValue: number | null;

  @Field(() => Date, { nullable: true })
  latestAt: Date | null;

  @Field()
  createdAt: Date;

  initiativeId: string;
}

@ObjectType({ description: 'One reading of an outcome metric.' })
export class Measurement {
  @Field(() => ID)
  id: string;

  @Field(() => Float)
  value: number;

  @Field({ description: 'When the value was true.' })
  at: Date;

  metricId: string;
  recordedById: string;
}

@ObjectType()
export class MeasurementConnection extends Connection(Measurement) {}
