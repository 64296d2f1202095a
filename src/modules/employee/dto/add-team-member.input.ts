import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsUUID } from 'class-validator';
import { TeamRole } from '../../team/team-role.js';

@InputType()
export class AddTeamMemberInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => ID)
  @IsUUID()
  employeeId: string;

  @Field(() => TeamRole, {
    defaultValue: TeamRole.MEMBER,
    description: 'Adding someone already in the team changes their role.',
  })
  @IsEnum(TeamRole)
  role: TeamRole = TeamRole.MEMBER;
}
