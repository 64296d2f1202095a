import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { Tidy } from '../../../common/validation/string-transforms.js';
import { MAX_SKILL_LEVEL, MIN_SKILL_LEVEL } from '../employee-limits.js';

@InputType()
export class SkillLevelInput {
  @Field({ description: 'The skill, by name; a new name creates the skill.' })
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => Int, { description: `${MIN_SKILL_LEVEL} (novice) to ${MAX_SKILL_LEVEL} (expert).` })
  @IsInt()
  @Min(MIN_SKILL_LEVEL)
  @Max(MAX_SKILL_LEVEL)
  level: number;
}
