import { Args, Query, Resolver } from '@nestjs/graphql';
import { SkillsArgs } from './dto/skills.args.js';
import { Skill, SkillConnection } from './skill.model.js';
import { SkillService } from './skill.service.js';

@Resolver(() => Skill)
export class SkillResolver {
  constructor(private readonly skillService: SkillService) {}

  @Query(() => SkillConnection)
  skills(@Args() args: SkillsArgs): Promise<SkillConnection> {
    return this.skillService.list(args.filter, args.first, args.after);
  }
}
