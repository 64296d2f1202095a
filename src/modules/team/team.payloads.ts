import { Field, ObjectType } from '@nestjs/graphql';
import { Team } from './team.model.js';

@ObjectType()
export class CreateTeamPayload {
  @Field(() => Team)
  team: Team;
}
