import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { NormalizeEmail, Tidy } from '../../../common/validation/string-transforms.js';
import { MAX_WEEKLY_CAPACITY_HOURS } from '../employee-limits.js';
import { SkillLevelInput } from './skill-level.input.js';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_SKILLS_PER_EMPLOYEE = 50;

@InputType()
export class CreateEmployeeInput {
  @Field()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @Field()
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field({ defaultValue: '' })
  @Tidy()
  @IsString()
  @MaxLength(200)
  title: string = '';

  @Field({ description: `The initial password, at least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password: string;

  @Field(() => ID, { description: 'Where their market earnings go; they become a member of it.' })
  @IsUUID()
  homeTeamId: string;

  @Field(() => Int, { defaultValue: 8 })
  @IsInt()
  @Min(0)
  @Max(MAX_WEEKLY_CAPACITY_HOURS)
  weeklyCapacityHours: number = 8;

  @Field({ defaultValue: false })
  @IsBoolean()
  isAdmin: boolean = false;

  @Field(() => [SkillLevelInput], { defaultValue: [] })
  @IsOptional()
  @ArrayMaxSize(MAX_SKILLS_PER_EMPLOYEE)
  @ValidateNested({ each: true })
  @Type(() => SkillLevelInput)
  skills: SkillLevelInput[] = [];
}
