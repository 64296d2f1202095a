import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NormalizeEmail, Tidy } from '../../../common/validation/string-transforms.js';
import { MAX_WEEKLY_CAPACITY_HOURS } from '../employee-limits.js';

/** Changes to an employee's own row; a field left out stays as it is. */
@InputType()
export class UpdateEmployeeInput {
  @Field(() => ID)
  @IsUUID()
  employeeId: string;

  @Field({ nullable: true })
  @IsOptional()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true, description: 'Unique, any case.' })
  @IsOptional()
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(200)
  title?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Never below the hours a week the employee has already committed.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_WEEKLY_CAPACITY_HOURS)
  weeklyCapacityHours?: number;
}
