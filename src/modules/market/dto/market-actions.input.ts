import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import {
  ArrayMaxSize,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { IsCalendarDay } from '../../../common/validation/calendar-day.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Tidy, Trim } from '../../../common/validation/string-transforms.js';
import {
  MAX_NEED_HOURS_PER_WEEK,
  MAX_RATE_PER_HOUR,
  MAX_REQUIRED_SKILLS,
  RequiredSkillInput,
} from './post-need.input.js';

/** A bid offers at most this many skills; they never change once it is placed. */
export const MAX_BID_SKILLS = 20;

@InputType()
export class CloseNeedInput {
  @Field(() => ID)
  @IsUUID()
  needId: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class RaiseNeedRateInput {
  @Field(() => ID)
  @IsUUID()
  needId: string;

  @Field(() => Int, {
    description:
      "The need's new rate: above its current one, and at most the market's maximum " +
      '(marketSettings.maxRatePerHour).',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_PER_HOUR)
  ratePerHour: number;
}

@InputType()
export class PlaceBidInput {
  @Field(() => ID)
  @IsUUID()
  needId: string;

  @Field(() => Int, { description: 'Hours a week you offer.' })
  @IsInt()
  @Min(1)
  @Max(MAX_NEED_HOURS_PER_WEEK)
  hoursPerWeek: number;

  @Field(() => Int, {
    description:
      "Credits per hour you ask: at most the need's ratePerHour and the market's maximum " +
      '(marketSettings.maxRatePerHour).',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_PER_HOUR)
  ratePerHour: number;

  @Field({ defaultValue: '' })
  @Trim()
  @IsString()
  @MaxLength(2000)
  message: string = '';

  @Field(() => [String], { defaultValue: [], description: 'Names of your own skills you offer.' })
  @ArrayMaxSize(MAX_BID_SKILLS)
  @Tidy()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  skills: string[] = [];
}

@InputType()
export class BidActionInput {
  @Field(() => ID)
  @IsUUID()
  bidId: string;
}

@InputType()
export class RejectBidInput extends BidActionInput {
  @Field(() => String, { nullable: true, description: 'Shown to the bidder.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@InputType()
export class AcceptBidInput extends BidActionInput {
  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class LogTimeInput {
  @Field(() => ID)
  @IsUUID()
  engagementId: string;

  @Field(() => Int, {
    description:
      'Whole hours worked that day (1 to 24); a week holds at most the engagement’s hoursPerWeek.',
  })
  @IsInt()
  @Min(1)
  @Max(24)
  hours: number;

  @Field(() => GraphQLLocalDate, {
    description:
      'The day the work was done (UTC): inside one of the engagement’s weeks, not in the future, and logged by the Monday after its week.',
  })
  @IsCalendarDay()
  date: string;

  @Field({ defaultValue: '' })
  @Trim()
  @IsString()
  @MaxLength(1000)
  note: string = '';

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType({ description: 'Only the fields given change; the same limits as postNeed.' })
export class EditNeedInput {
  @Field(() => ID)
  @IsUUID()
  needId: string;

  @Field({ nullable: true })
  @IsOptional()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @Field(() => [RequiredSkillInput], {
    nullable: true,
    description: 'Replaces the required skills.',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_REQUIRED_SKILLS)
  @ValidateNested({ each: true })
  @Type(() => RequiredSkillInput)
  requiredSkills?: RequiredSkillInput[];
}
