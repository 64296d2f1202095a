import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { RevisionConnection } from '../revision/models/revision.models.js';
import { RevisionService } from '../revision/revision.service.js';
import { EditIdeaInput } from './dto/idea.inputs.js';
import { IdeaEditService } from './idea-edit.service.js';
import { Idea } from './models/idea.models.js';
import { IdeaPayload } from './models/idea.payloads.js';

@Resolver(() => Idea)
export class IdeaEditResolver {
  constructor(
    private readonly ideaEditService: IdeaEditService,
    private readonly revisionService: RevisionService,
  ) {}

  @Mutation(() => IdeaPayload, {
    description:
      'For the proposer, while the idea is DRAFT or SUBMITTED: changes the fields given and keeps a revision. Pledgers and followers are told.',
  })
  async editIdea(
    @Args('input') input: EditIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<IdeaPayload> {
    return { idea: await this.ideaEditService.edit(input, actor) };
  }

  @ResolveField(() => RevisionConnection, { description: 'Its edits, newest first.' })
  revisions(
    @Parent() idea: Idea,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<RevisionConnection> {
    return this.revisionService.page(loaders, 'Idea', idea.id, args);
  }
}
