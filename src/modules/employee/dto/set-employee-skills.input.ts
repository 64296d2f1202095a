import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsUUID, ValidateNested } from 'class-validator';
import { MAX_SKILLS_PER_EMPLOYEE } from './create-employee.input.js';
import { SkillLevelInput } from './skill-level.input.js';

@InputType()
export class SetEmployeeSkillsInput {
  @Field(() => ID)
  @IsUUID()
  employeeId: string;

  @Field(() => [SkillLevelInput], { description: 'The whole set: skills not listed are removed.' })
  @ArrayMaxSize(MAX_SKILLS_PER_EMPLOYEE)
  @ValidateNested({ each: true })
  @Type(() => SkillLevelInput)
  skills: SkillLevelInput[];
}
