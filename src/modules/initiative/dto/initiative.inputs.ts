import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
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
      'Hours a week you give it; they count against your weekly capacity. Joining again changes them.',
  })
  @IsInt()
  @Min(0)
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
}

@InputType()
export class CompleteMilestoneInput {
  @Field(() => ID)
  @IsUUID()
  milestoneId: string;
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
    description: 'When the value was true; now if omitted. Not in the future.',
  })
  @IsOptional()
  @IsDate()
  at?: Date;
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
}
