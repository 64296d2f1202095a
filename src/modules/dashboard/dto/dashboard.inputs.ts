import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../common/graphql/connection.js';
import { DateRange } from '../../../common/graphql/date-range.js';
import { Tidy } from '../../../common/validation/string-transforms.js';
import { InitiativeStatus } from '../../initiative/initiative.enums.js';

export enum InitiativeOutcomeSort {
  OUTCOME_SCORE = 'OUTCOME_SCORE',
  SPENT = 'SPENT',
  STARTED_AT = 'STARTED_AT',
}
registerEnumType(InitiativeOutcomeSort, {
  name: 'InitiativeOutcomeSort',
  description: 'Highest or newest first.',
});

@InputType()
export class InitiativeOutcomesFilter {
  @Field(() => InitiativeStatus, { nullable: true })
  @IsOptional()
  @IsEnum(InitiativeStatus)
  status?: InitiativeStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sponsorTeamId?: string;

  @Field(() => ID, { nullable: true, description: 'Initiatives this team helped fund.' })
  @IsOptional()
  @IsUUID()
  fundedByTeamId?: string;

  @Field(() => DateRange, {
    nullable: true,
    description: 'Initiatives started (approved) in these days.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DateRange)
  startedIn?: DateRange;
}

const PAGE_ON_INITIATIVES =
  'Page on the connection, as every other list does: initiatives(first, after). This applies only where initiatives is selected without first or after.';

@ArgsType()
export class InitiativeOutcomesArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `At most ${MAX_PAGE_SIZE}.`,
    deprecationReason: PAGE_ON_INITIATIVES,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, {
    nullable: true,
    description: 'The `endCursor` of the previous page.',
    deprecationReason: PAGE_ON_INITIATIVES,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  after?: string;

  @Field(() => InitiativeOutcomesFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InitiativeOutcomesFilter)
  filter?: InitiativeOutcomesFilter;

  @Field(() => InitiativeOutcomeSort, { defaultValue: InitiativeOutcomeSort.OUTCOME_SCORE })
  @IsEnum(InitiativeOutcomeSort)
  sort: InitiativeOutcomeSort = InitiativeOutcomeSort.OUTCOME_SCORE;
}

@InputType()
export class MarketStatsFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  skillId?: string;

  @Field({ nullable: true, description: 'A skill by name (any case or spacing).' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(100)
  skill?: string;

  @Field(() => DateRange, {
    nullable: true,
    description:
      'Needs posted and bids accepted in these days, counted by whole weeks (Monday to Sunday, UTC).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DateRange)
  period?: DateRange;
}

/** The most skills one marketStats call reports. */
export const MAX_MARKET_STATS_SKILLS = 500;

@ArgsType()
export class MarketStatsArgs {
  @Field(() => MarketStatsFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MarketStatsFilter)
  filter?: MarketStatsFilter;

  @Field(() => Int, {
    defaultValue: 50,
    description: `Skills with the most open demand first; at most ${MAX_MARKET_STATS_SKILLS}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_MARKET_STATS_SKILLS)
  first: number = 50;
}

@InputType()
export class IdeaFunnelFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sponsorTeamId?: string;

  @Field(() => DateRange, { nullable: true, description: 'Ideas proposed in these days.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DateRange)
  proposedIn?: DateRange;
}

/** Member teams shown unless asked for more. */
export const DEFAULT_MEMBER_TEAMS_SHOWN = 20;

@ArgsType()
export class MemberTeamsArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_MEMBER_TEAMS_SHOWN,
    description: `The first this many, by name. At most ${MAX_PAGE_SIZE}.`,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_MEMBER_TEAMS_SHOWN;
}

@ArgsType()
export class IdeaFunnelArgs {
  @Field(() => IdeaFunnelFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdeaFunnelFilter)
  filter?: IdeaFunnelFilter;
}
