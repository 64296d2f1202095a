import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { SkillMarketStats } from './models/dashboard.models.js';

/** A skill's market figures: the skill itself, through its loader. */
@Resolver(() => SkillMarketStats)
export class SkillMarketStatsResolver {
  constructor(private readonly skillService: SkillService) {}

  @ResolveField(() => Skill)
  skill(stats: SkillMarketStats, _: unknown, { loaders }: GraphQLContext): Promise<Skill> {
    return loaders.loadRequired(this.skillService.byId, stats.skillId, 'Skill');
  }
}
