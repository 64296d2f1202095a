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
} from 'class-validator';
import { IsCalendarDay } from '../../../common/validation/calendar-day.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Tidy, Trim } from '../../../common/validation/string-transforms.js';
import { MAX_NEED_HOURS_PER_WEEK, MAX_RATE_PER_HOUR } from './post-need.input.js';

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
export class PlaceBidInput {
  @Field(() => ID)
  @IsUUID()
  needId: string;

  @Field(() => Int, { description: 'Hours a week you offer.' })
  @IsInt()
  @Min(1)
  @Max(MAX_NEED_HOURS_PER_WEEK)
  hoursPerWeek: number;

  @Field(() => Int, { description: 'Credits per hour you ask.' })
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

  @Field(() => Int, { description: 'Whole hours worked.' })
  @IsInt()
  @Min(1)
  @Max(80)
  hours: number;

  @Field(() => GraphQLLocalDate, { description: 'The day the work was done (not in the future).' })
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
