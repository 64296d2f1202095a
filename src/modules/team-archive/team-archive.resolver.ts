import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { ArchiveTeamInput } from '../team/dto/archive-team.input.js';
import { Team } from '../team/team.model.js';
import { ArchiveTeamPayload } from '../team/team.payloads.js';
import { TeamArchiveService } from './team-archive.service.js';

@Resolver(() => Team)
export class TeamArchiveResolver {
  constructor(private readonly archives: TeamArchiveService) {}

  @Mutation(() => ArchiveTeamPayload, {
    description:
      "Admin only. The team must hold no credits and be nobody's home team (CONFLICT); its open needs close with their escrow returned, and it takes no new needs, bids or members. Archiving an archived team changes nothing.",
  })
  @AdminOnly()
  async archiveTeam(
    @Args('input') input: ArchiveTeamInput,
    @CurrentActor() actor: Actor,
  ): Promise<ArchiveTeamPayload> {
    return { team: await this.archives.archive(input, actor) };
  }
}
