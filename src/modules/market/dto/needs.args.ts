import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
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
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { Tidy } from '../../../common/validation/string-transforms.js';
import { BidStatus, EngagementStatus, NeedStatus } from '../market.enums.js';

/** The most candidates one suggestedCandidates call ranks. */
export const MAX_SUGGESTED_CANDIDATES = 50;

@InputType()
export class NeedFilter {
  @Field(() => NeedStatus, { nullable: true })
  @IsOptional()
  @IsEnum(NeedStatus)
  status?: NeedStatus;

  @Field(() => ID, { nullable: true, description: 'Needs that require this skill.' })
  @IsOptional()
  @IsUUID()
  skillId?: string;

  @Field({ nullable: true, description: 'Needs that require this skill, by name.' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(100)
  skill?: string;

  @Field(() => ID, { nullable: true, description: 'Needs this team pays for.' })
  @IsOptional()
  @IsUUID()
  buyerTeamId?: string;

  @Field(() => ID, { nullable: true, description: 'Needs this initiative pays for.' })
  @IsOptional()
  @IsUUID()
  buyerInitiativeId?: string;

  @Field({ nullable: true, description: 'Words to find in the title or description.' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(200)
  text?: string;
}

@ArgsType()
export class NeedsArgs extends ConnectionArgs {
  @Field(() => NeedFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => NeedFilter)
  filter?: NeedFilter;
}

@ArgsType()
export class BidsArgs extends ConnectionArgs {
  @Field(() => BidStatus, { nullable: true })
  @IsOptional()
  @IsEnum(BidStatus)
  status?: BidStatus;
}

@ArgsType()
export class EngagementsArgs extends ConnectionArgs {
  @Field(() => EngagementStatus, { nullable: true })
  @IsOptional()
  @IsEnum(EngagementStatus)
  status?: EngagementStatus;
}

@ArgsType()
export class SuggestedCandidatesArgs {
  @Field(() => ID)
  @IsUUID()
  needId: string;

  @Field(() => Int, { defaultValue: 10, description: `At most ${MAX_SUGGESTED_CANDIDATES}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_SUGGESTED_CANDIDATES)
  first: number = 10;
}
