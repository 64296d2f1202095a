import { Field, ObjectType } from '@nestjs/graphql';
import { Team } from './team.model.js';

@ObjectType()
export class CreateTeamPayload {
  @Field(() => Team)
  team: Team;
}

@ObjectType()
export class RenameTeamPayload {
  @Field(() => Team)
  team: Team;
}

@ObjectType()
export class ArchiveTeamPayload {
  @Field(() => Team)
  team: Team;
}
