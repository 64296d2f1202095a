import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsUUID } from 'class-validator';
import { TeamRole } from '../../team/team-role.js';

@InputType()
export class SetTeamMemberRoleInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => ID, { description: 'A member of the team already.' })
  @IsUUID()
  employeeId: string;

  @Field(() => TeamRole)
  @IsEnum(TeamRole)
  role: TeamRole;
}
