import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { IsCalendarDay } from '../../../common/validation/calendar-day.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Tidy, Trim } from '../../../common/validation/string-transforms.js';
import { MIN_MEMBER_HOURS_PER_WEEK } from '../initiative-limits.js';
import { InitiativeStatus, MetricDirection } from '../initiative.enums.js';

/** Measurements are plain numbers; this keeps them finite and sane. */
const MAX_METRIC_VALUE = 1e12;

@InputType()
export class InitiativeRefInput {
  @Field(() => ID)
  @IsUUID()
  initiativeId: string;
}

@InputType()
export class JoinInitiativeInput extends InitiativeRefInput {
  @Field(() => Int, {
    description:
      `Hours a week you give it, at least ${MIN_MEMBER_HOURS_PER_WEEK}; they count against your weekly ` +
      'capacity. Joining again changes them; leaving is how you stop giving any.',
  })
  @IsInt()
  @Min(MIN_MEMBER_HOURS_PER_WEEK)
  @Max(40)
  hoursPerWeek: number;
}

@InputType()
export class AddMilestoneInput extends InitiativeRefInput {
  @Field()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @IsOptional()
  @IsCalendarDay()
  dueDate?: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Who may complete it besides the owner: the owner or a current member. None: the owner ' +
      'alone. Only the owner names one.',
  })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;
}

@InputType()
export class CompleteMilestoneInput {
  @Field(() => ID)
  @IsUUID()
  milestoneId: string;
}

@InputType()
export class AssignMilestoneInput extends CompleteMilestoneInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The owner or a current member; omitted or null: nobody (the owner alone).',
  })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;
}

@InputType()
export class DefineOutcomeMetricInput extends InitiativeRefInput {
  @Field()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field({ defaultValue: '', description: 'e.g. "calls", "minutes", "points of 5".' })
  @Tidy()
  @IsString()
  @MaxLength(30)
  unit: string = '';

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_METRIC_VALUE)
  @Max(MAX_METRIC_VALUE)
  baseline: number;

  @Field(() => Float, {
    description: 'Above the baseline if higher is better, below it if lower is better.',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_METRIC_VALUE)
  @Max(MAX_METRIC_VALUE)
  target: number;

  @Field(() => MetricDirection)
  @IsEnum(MetricDirection)
  direction: MetricDirection;

  @Field(() => ID, {
    nullable: true,
    description:
      'Who records its readings besides the owner: the owner or a current member; the owner if omitted.',
  })
  @IsOptional()
  @IsUUID()
  reporterId?: string | null;
}

@InputType()
export class SetMetricReporterInput {
  @Field(() => ID)
  @IsUUID()
  metricId: string;

  @Field(() => ID, { description: 'The owner or a current member of the initiative.' })
  @IsUUID()
  reporterId: string;
}

@InputType()
export class RecordMeasurementInput {
  @Field(() => ID)
  @IsUUID()
  metricId: string;

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_METRIC_VALUE)
  @Max(MAX_METRIC_VALUE)
  value: number;

  @Field({
    nullable: true,
    description:
      'When the value was true; now if omitted. Not in the future, nor before the initiative started.',
  })
  @IsOptional()
  @IsDate()
  at?: Date;
}

@InputType()
export class CorrectMeasurementInput {
  @Field(() => ID, { description: 'The current reading to correct.' })
  @IsUUID()
  measurementId: string;

  @Field(() => Float, { description: 'The right value, true at the same time as the reading.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_METRIC_VALUE)
  @Max(MAX_METRIC_VALUE)
  value: number;

  @Field({ description: 'Why the reading was wrong; kept with it in the history.' })
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@InputType()
export class FinishInitiativeInput extends InitiativeRefInput {
  @Field(() => String, { nullable: true, description: 'What it achieved, or why it stops.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class InitiativeFilter {
  @Field(() => InitiativeStatus, { nullable: true })
  @IsOptional()
  @IsEnum(InitiativeStatus)
  status?: InitiativeStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sponsorTeamId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Initiatives this person owns or is a member of.',
  })
  @IsOptional()
  @IsUUID()
  participantId?: string;
}

@ArgsType()
export class InitiativesArgs extends ConnectionArgs {
  @Field(() => InitiativeFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InitiativeFilter)
  filter?: InitiativeFilter;
}

@ArgsType()
export class MeasurementsArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'At or after this instant.' })
  @IsOptional()
  @IsDate()
  since?: Date;

  @Field({
    defaultValue: false,
    description:
      'The whole history: also the readings corrections replaced (each at the same time as its ' +
      'correction; see Measurement.supersededBy and correction). By default only current readings.',
  })
  @IsBoolean()
  includeSuperseded: boolean = false;
}

@InputType()
export class EditMilestoneInput extends CompleteMilestoneInput {
  @Field({ nullable: true })
  @IsOptional()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'A new due date.' })
  @IsOptional()
  @IsCalendarDay()
  dueDate?: string;
}

@InputType()
export class EditOutcomeMetricInput {
  @Field(() => ID)
  @IsUUID()
  metricId: string;

  @Field({ nullable: true })
  @IsOptional()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Changes progress: recorded in the revisions like every edit.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_METRIC_VALUE)
  @Max(MAX_METRIC_VALUE)
  target?: number;

  @Field(() => MetricDirection, { nullable: true })
  @IsOptional()
  @IsEnum(MetricDirection)
  direction?: MetricDirection;
}
