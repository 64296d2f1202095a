import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { RevisionConnection } from '../revision/models/revision.models.js';
import { RevisionService } from '../revision/revision.service.js';
import { EditOutcomeMetricInput } from './dto/initiative.inputs.js';
import { InitiativeEditService } from './initiative-edit.service.js';
import { OutcomeMetric } from './models/initiative.models.js';
import { OutcomeMetricPayload } from './models/initiative.payloads.js';

@Resolver(() => OutcomeMetric)
export class MetricEditResolver {
  constructor(
    private readonly edits: InitiativeEditService,
    private readonly revisionService: RevisionService,
  ) {}

  @Mutation(() => OutcomeMetricPayload, {
    description:
      "The initiative's owner, while it is ACTIVE: changes the name, target or direction (the target must still point the right way from the baseline). Every change is kept as a revision: a new target changes progress.",
  })
  async editOutcomeMetric(
    @Args('input') input: EditOutcomeMetricInput,
    @CurrentActor() actor: Actor,
  ): Promise<OutcomeMetricPayload> {
    return { metric: await this.edits.editMetric(input, actor) };
  }

  @ResolveField(() => RevisionConnection, { description: 'Its edits, newest first.' })
  revisions(
    @Parent() metric: OutcomeMetric,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<RevisionConnection> {
    return this.revisionService.page(loaders, 'OutcomeMetric', metric.id, args);
  }
}
