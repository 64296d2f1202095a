import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@InputType()
export class MoveEmployeeInput {
  @Field(() => ID)
  @IsUUID()
  employeeId: string;

  @Field(() => ID, {
    description:
      'The new home team: pay for hours logged from now on goes there (hours logged before stay with the old one). The employee becomes a MEMBER of it unless already in it.',
  })
  @IsUUID()
  homeTeamId: string;
}
