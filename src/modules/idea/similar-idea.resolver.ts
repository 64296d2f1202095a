import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { IdeaRepository } from './idea.repository.js';
import { Idea, SimilarIdea } from './models/idea.models.js';

@Resolver(() => SimilarIdea)
export class SimilarIdeaResolver {
  constructor(private readonly ideaRepository: IdeaRepository) {}

  @ResolveField(() => Idea)
  idea(similar: SimilarIdea, _: unknown, { loaders }: GraphQLContext): Promise<Idea> {
    return loaders.loadRequired(this.ideaRepository.byId, similar.ideaId, 'Idea');
  }
}
