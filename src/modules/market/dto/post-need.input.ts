import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
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
import { Tidy, Trim } from '../../../common/validation/string-transforms.js';

export const MAX_NEED_HOURS_PER_WEEK = 40;
export const MAX_NEED_WEEKS = 52;
/** The API's hard bound on any rate; the market's maximum (market_settings) is at most this. */
export const MAX_RATE_PER_HOUR = 10_000;
/** A need lists at most this many required skills; it never gains more once posted. */
export const MAX_REQUIRED_SKILLS = 20;

@InputType()
export class RequiredSkillInput {
  @Field({ description: 'The skill, by name; a new name creates the skill.' })
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => Int, { defaultValue: 1, description: '1 (novice) to 5 (expert).' })
  @IsInt()
  @Min(1)
  @Max(5)
  minLevel: number = 1;
}

@InputType()
export class PostNeedInput {
  @Field(() => ID, { nullable: true, description: 'The team that pays; you must lead it. Or:' })
  @IsOptional()
  @IsUUID()
  buyerTeamId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The initiative that pays from its budget; you must own it.',
  })
  @IsOptional()
  @IsUUID()
  buyerInitiativeId?: string;

  @Field()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @Field({ defaultValue: '' })
  @Trim()
  @IsString()
  @MaxLength(5000)
  description: string = '';

  @Field(() => [RequiredSkillInput], { defaultValue: [] })
  @ArrayMaxSize(MAX_REQUIRED_SKILLS)
  @ValidateNested({ each: true })
  @Type(() => RequiredSkillInput)
  requiredSkills: RequiredSkillInput[] = [];

  @Field(() => Int, { description: `1 to ${MAX_NEED_HOURS_PER_WEEK}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_NEED_HOURS_PER_WEEK)
  hoursPerWeek: number;

  @Field(() => Int, { description: `1 to ${MAX_NEED_WEEKS}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_NEED_WEEKS)
  weeks: number;

  @Field(() => Int, {
    description:
      'The most the need pays per hour (no bid may ask more): 1 to the market’s maximum ' +
      `(marketSettings.maxRatePerHour), never more than ${MAX_RATE_PER_HOUR}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_PER_HOUR)
  ratePerHour: number;
}
