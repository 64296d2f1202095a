import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { RepeatedArguments } from '../../../common/validation/validation.pipe.js';
import {
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
import { MAX_SKILL_LEVEL, MIN_SKILL_LEVEL } from '../employee-limits.js';
import { MAX_SKILLS_PER_EMPLOYEE } from './create-employee.input.js';

@InputType()
export class EmployeeFilter {
  @Field(() => ID, { nullable: true, description: 'Members of this team, in any role.' })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { nullable: true, description: 'People with this skill.' })
  @IsOptional()
  @IsUUID()
  skillId?: string;

  @Field({ nullable: true, description: 'People with this skill, by name (any case or spacing).' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(100)
  skill?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'With `skillId` or `skill`: at least this level.',
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_SKILL_LEVEL)
  @Max(MAX_SKILL_LEVEL)
  minSkillLevel?: number;

  @Field({ nullable: true, description: 'Part of the name, any case.' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(200)
  name?: string;
}

@ArgsType()
export class EmployeesArgs extends ConnectionArgs {
  @Field(() => EmployeeFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmployeeFilter)
  filter?: EmployeeFilter;
}

@ArgsType()
export class TeamMembersArgs extends ConnectionArgs {}

/**
 * Skills shown unless asked for more: a page of 50 needs with 10 bids each and their bidders'
 * skills must stay within the cost limit, which all 50 a person may hold would not.
 */
export const DEFAULT_SKILLS_SHOWN = 10;

@ArgsType()
@RepeatedArguments()
export class EmployeeSkillsArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_SKILLS_SHOWN,
    description: `The strongest this many. At most ${MAX_SKILLS_PER_EMPLOYEE}: as many as anyone holds.`,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_SKILLS_PER_EMPLOYEE)
  first: number = DEFAULT_SKILLS_SHOWN;
}
