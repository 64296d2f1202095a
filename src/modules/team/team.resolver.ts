import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { CreateTeamInput } from './dto/create-team.input.js';
import { RenameTeamInput } from './dto/rename-team.input.js';
import { TeamsArgs } from './dto/teams.args.js';
import { Team, TeamConnection } from './team.model.js';
import { CreateTeamPayload, RenameTeamPayload } from './team.payloads.js';
import { TeamService } from './team.service.js';

@Resolver(() => Team)
export class TeamResolver {
  constructor(private readonly teamService: TeamService) {}

  @Query(() => Team)
  team(@Args('id', { type: () => ID }, UuidPipe) id: string): Promise<Team> {
    return this.teamService.findById(id);
  }

  @Query(() => TeamConnection)
  teams(@Args() args: TeamsArgs): Promise<TeamConnection> {
    return this.teamService.list(args.filter, args.first, args.after);
  }

  @Mutation(() => CreateTeamPayload, { description: 'Admin only.' })
  @AdminOnly()
  async createTeam(
    @Args('input') input: CreateTeamInput,
    @CurrentActor() actor: Actor,
  ): Promise<CreateTeamPayload> {
    return { team: await this.teamService.create(input, actor.id) };
  }

  @Mutation(() => RenameTeamPayload, { description: 'Admin only. Names are unique (CONFLICT).' })
  @AdminOnly()
  async renameTeam(
    @Args('input') input: RenameTeamInput,
    @CurrentActor() actor: Actor,
  ): Promise<RenameTeamPayload> {
    return { team: await this.teamService.rename(input, actor) };
  }
}
