import { Field, ObjectType } from '@nestjs/graphql';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';
import { MAX_PLEDGES_PER_IDEA } from '../../idea/idea-limits.js';
import { Transfer } from '../../ledger/models/ledger.models.js';
import {
  Initiative,
  InitiativeMember,
  Measurement,
  Milestone,
  OutcomeMetric,
} from './initiative.models.js';

@ObjectType()
export class InitiativePayload {
  @Field(() => Initiative)
  initiative: Initiative;
}

@ObjectType()
export class JoinInitiativePayload {
  @Field(() => InitiativeMember)
  membership: InitiativeMember;
}

@ObjectType()
export class MilestonePayload {
  @Field(() => Milestone)
  milestone: Milestone;
}

@ObjectType()
export class OutcomeMetricPayload {
  @Field(() => OutcomeMetric)
  metric: OutcomeMetric;
}

@ObjectType()
export class RecordMeasurementPayload {
  @Field(() => Measurement)
  measurement: Measurement;
}

@ObjectType()
export class CorrectMeasurementPayload {
  @Field(() => Measurement, {
    description:
      'The correction: the current reading now, at the same time as the one it replaces.',
  })
  measurement: Measurement;

  @Field(() => Measurement, {
    description: 'The reading it replaced, kept in the history with its correction.',
  })
  corrected: Measurement;
}

@ObjectType()
export class FinishInitiativePayload {
  @Field(() => Initiative)
  initiative: Initiative;

  @Field(() => [Transfer], {
    description: atMost(
      MAX_PLEDGES_PER_IDEA,
      'Unspent budget returned to each funding team, pro rata.',
    ),
  })
  @MaxItems(MAX_PLEDGES_PER_IDEA)
  refunds: Transfer[];
}
