import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { InitiativeFunder } from './models/initiative.models.js';

@Resolver(() => InitiativeFunder)
export class InitiativeFunderResolver {
  constructor(private readonly teamService: TeamService) {}

  @ResolveField(() => Team)
  team(funder: InitiativeFunder, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, funder.teamId, 'Team');
  }
}
