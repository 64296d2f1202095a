import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { RevisionConnection } from '../revision/models/revision.models.js';
import { RevisionService } from '../revision/revision.service.js';
import { EditMilestoneInput } from './dto/initiative.inputs.js';
import { InitiativeEditService } from './initiative-edit.service.js';
import { Milestone } from './models/initiative.models.js';
import { MilestonePayload } from './models/initiative.payloads.js';

@Resolver(() => Milestone)
export class MilestoneEditResolver {
  constructor(
    private readonly edits: InitiativeEditService,
    private readonly revisionService: RevisionService,
  ) {}

  @Mutation(() => MilestonePayload, {
    description:
      "The initiative's owner, while it is ACTIVE: changes the title or due date and keeps a revision.",
  })
  async editMilestone(
    @Args('input') input: EditMilestoneInput,
    @CurrentActor() actor: Actor,
  ): Promise<MilestonePayload> {
    return { milestone: await this.edits.editMilestone(input, actor) };
  }

  @ResolveField(() => RevisionConnection, { description: 'Its edits, newest first.' })
  revisions(
    @Parent() milestone: Milestone,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<RevisionConnection> {
    return this.revisionService.page(loaders, 'Milestone', milestone.id, args);
  }
}
