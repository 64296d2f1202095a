import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';

@InputType()
export class DeactivateEmployeeInput {
  @Field(() => ID)
  @IsUUID()
  employeeId: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Who takes over the active initiatives the leaver owns (an active employee). Default: a lead of each initiative’s sponsor team.',
  })
  @IsOptional()
  @IsUUID()
  successorId?: string;
}

@InputType()
export class ReactivateEmployeeInput {
  @Field(() => ID)
  @IsUUID()
  employeeId: string;
}
