import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
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
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Tidy, Trim } from '../../../common/validation/string-transforms.js';
import { MAX_IDEA_SKILLS, MAX_SIMILAR_IDEAS } from '../idea-limits.js';
import { IdeaSort, IdeaStatus } from '../idea.enums.js';

export const MAX_FUNDING_GOAL = 100_000_000;

@InputType()
export class ProposeIdeaInput {
  @Field()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @Field({ description: 'What is wrong today.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  problem: string;

  @Field({ description: 'What to do about it.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  proposal: string;

  @Field({ defaultValue: '' })
  @Trim()
  @IsString()
  @MaxLength(5000)
  expectedOutcomes: string = '';

  @Field(() => ID, { description: 'The team whose lead will approve it.' })
  @IsUUID()
  sponsorTeamId: string;

  @Field(() => CreditsScalar, {
    description: `Credits it needs, 1 to ${MAX_FUNDING_GOAL.toLocaleString('en')}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_FUNDING_GOAL)
  fundingGoal: number;

  @Field(() => [String], { defaultValue: [], description: 'Skills it will need, by name.' })
  @ArrayMaxSize(MAX_IDEA_SKILLS)
  @Tidy()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  skillsNeeded: string[] = [];

  @Field(() => Int, { nullable: true, description: 'Hours a week it will need from people.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(400)
  hoursPerWeekNeeded?: number;
}

@InputType()
export class IdeaRefInput {
  @Field(() => ID)
  @IsUUID()
  ideaId: string;
}

@InputType()
export class IdeaDecisionInput extends IdeaRefInput {
  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class RejectIdeaInput extends IdeaDecisionInput {
  @Field({ description: 'Shown to the proposer and the funders.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

@InputType()
export class EndorseIdeaInput extends IdeaRefInput {
  @Field({ defaultValue: true, description: 'false takes an endorsement back.' })
  @IsBoolean()
  endorsed: boolean = true;
}

@InputType()
export class PledgeToIdeaInput extends IdeaRefInput {
  @Field(() => ID, { description: 'The team that pays; you must lead it.' })
  @IsUUID()
  teamId: string;

  @Field(() => CreditsScalar, {
    description: 'At most what the idea still needs: nothing is trimmed.',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_FUNDING_GOAL)
  amount: number;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class IdeaFilter {
  @Field(() => IdeaStatus, { nullable: true, description: 'DRAFT shows only your own drafts.' })
  @IsOptional()
  @IsEnum(IdeaStatus)
  status?: IdeaStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sponsorTeamId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  proposerId?: string;

  @Field({ nullable: true, description: 'Words to find anywhere in the idea.' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(200)
  text?: string;
}

@ArgsType()
export class IdeasArgs extends ConnectionArgs {
  @Field(() => IdeaFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdeaFilter)
  filter?: IdeaFilter;

  @Field(() => IdeaSort, { defaultValue: IdeaSort.NEWEST })
  @IsEnum(IdeaSort)
  sort: IdeaSort = IdeaSort.NEWEST;
}

@ArgsType()
export class SimilarIdeasArgs {
  @Field(() => Int, { defaultValue: 5, description: `At most ${MAX_SIMILAR_IDEAS}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_SIMILAR_IDEAS)
  first: number = 5;
}

@InputType({ description: 'Only the fields given change; the same limits as proposeIdea.' })
export class EditIdeaInput extends IdeaRefInput {
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
  @IsNotEmpty()
  @MaxLength(5000)
  problem?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  proposal?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(5000)
  expectedOutcomes?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces the skills it needs, by name.' })
  @IsOptional()
  @ArrayMaxSize(MAX_IDEA_SKILLS)
  @Tidy()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  skillsNeeded?: string[];
}
