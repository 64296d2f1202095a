import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { SkillMatch } from './models/market.models.js';

/** A required skill a suggested person holds. */
@Resolver(() => SkillMatch)
export class SkillMatchResolver {
  constructor(private readonly skillService: SkillService) {}

  @ResolveField(() => Skill)
  skill(match: SkillMatch, _: unknown, { loaders }: GraphQLContext): Promise<Skill> {
    return loaders.loadRequired(this.skillService.byId, match.skillId, 'Skill');
  }
}
