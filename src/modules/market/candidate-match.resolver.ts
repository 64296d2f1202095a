import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { MAX_REQUIRED_SKILLS } from './dto/post-need.input.js';
import { MatchingRepository } from './matching.repository.js';
import { CandidateMatch, SkillMatch } from './models/market.models.js';

/** A person suggested for a need, and why. */
@Resolver(() => CandidateMatch)
export class CandidateMatchResolver {
  constructor(
    private readonly employeeService: EmployeeService,
    private readonly matching: MatchingRepository,
  ) {}

  @ResolveField(() => Employee)
  employee(match: CandidateMatch, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, match.employeeId, 'Employee');
  }

  @ResolveField(() => [SkillMatch], {
    description: atMost(
      MAX_REQUIRED_SKILLS,
      'The required skills this person holds, best margin first.',
    ),
  })
  @MaxItems(MAX_REQUIRED_SKILLS)
  matchedSkills(
    match: CandidateMatch,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<SkillMatch[]> {
    return loaders.get(this.matching.skillMatches).load(`${match.needId}:${match.employeeId}`);
  }
}
