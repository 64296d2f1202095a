import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@InputType()
export class RemoveTeamMemberInput {
  @Field(() => ID, { description: "Not the employee's home team (move them first)." })
  @IsUUID()
  teamId: string;

  @Field(() => ID)
  @IsUUID()
  employeeId: string;
}
