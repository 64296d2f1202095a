import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { IdeaRepository } from './idea.repository.js';
import { Idea } from './models/idea.models.js';

/** Initiative.idea: an initiative always starts from an approved idea. */
@Resolver(() => Initiative)
export class InitiativeIdeaResolver {
  constructor(private readonly ideaRepository: IdeaRepository) {}

  @ResolveField(() => Idea, { description: 'The idea it was born from.' })
  idea(initiative: Initiative, _: unknown, { loaders }: GraphQLContext): Promise<Idea> {
    return loaders.loadRequired(this.ideaRepository.byInitiative, initiative.id, 'Idea');
  }
}
