import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { RequiredSkill } from './models/market.models.js';

/** A skill a need requires, at a minimum level. */
@Resolver(() => RequiredSkill)
export class RequiredSkillResolver {
  constructor(private readonly skillService: SkillService) {}

  @ResolveField(() => Skill)
  skill(required: RequiredSkill, _: unknown, { loaders }: GraphQLContext): Promise<Skill> {
    return loaders.loadRequired(this.skillService.byId, required.skillId, 'Skill');
  }
}
