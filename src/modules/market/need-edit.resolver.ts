import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { RevisionConnection } from '../revision/models/revision.models.js';
import { RevisionService } from '../revision/revision.service.js';
import { EditNeedInput } from './dto/market-actions.input.js';
import { Need } from './models/market.models.js';
import { EditNeedPayload } from './models/market.payloads.js';
import { NeedEditService } from './need-edit.service.js';

@Resolver(() => Need)
export class NeedEditResolver {
  constructor(
    private readonly needEditService: NeedEditService,
    private readonly revisionService: RevisionService,
  ) {}

  @Mutation(() => EditNeedPayload, {
    description:
      "For the buyer's leads, while the need is OPEN and no bid is accepted: changes the fields given and keeps a revision. Pending bidders and followers are told.",
  })
  async editNeed(
    @Args('input') input: EditNeedInput,
    @CurrentActor() actor: Actor,
  ): Promise<EditNeedPayload> {
    return { need: await this.needEditService.edit(input, actor) };
  }

  @ResolveField(() => RevisionConnection, { description: 'Its edits, newest first.' })
  revisions(
    @Parent() need: Need,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<RevisionConnection> {
    return this.revisionService.page(loaders, 'Need', need.id, args);
  }
}
