import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Access, AdminOnly, Allow, arg } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { CreateEmployeeInput, MAX_SKILLS_PER_EMPLOYEE } from './dto/create-employee.input.js';
import { EmployeesArgs, EmployeeSkillsArgs } from './dto/employees.args.js';
import { SetEmployeeSkillsInput } from './dto/set-employee-skills.input.js';
import { Employee, EmployeeConnection, EmployeeSkill, TeamMembership } from './employee.model.js';
import { CreateEmployeePayload, SetEmployeeSkillsPayload } from './employee.payloads.js';
import { EmployeeService } from './employee.service.js';
import { MAX_TEAMS_PER_EMPLOYEE } from './employee-limits.js';

@Resolver(() => Employee)
export class EmployeeResolver {
  constructor(
    private readonly employeeService: EmployeeService,
    private readonly teamService: TeamService,
  ) {}

  @Query(() => Employee, { description: 'The signed-in employee.' })
  me(@CurrentActor() actor: Actor): Promise<Employee> {
    return this.employeeService.findById(actor.id);
  }

  @Query(() => Employee)
  employee(@Args('id', { type: () => ID }, UuidPipe) id: string): Promise<Employee> {
    return this.employeeService.findById(id);
  }

  @Query(() => EmployeeConnection)
  employees(@Args() args: EmployeesArgs): Promise<EmployeeConnection> {
    return this.employeeService.list(args.filter, args.first, args.after);
  }

  @Mutation(() => CreateEmployeePayload, { description: 'Admin only.' })
  @AdminOnly()
  async createEmployee(
    @Args('input') input: CreateEmployeeInput,
    @CurrentActor() actor: Actor,
  ): Promise<CreateEmployeePayload> {
    return { employee: await this.employeeService.create(input, actor.id) };
  }

  @Mutation(() => SetEmployeeSkillsPayload, { description: 'Admins, or employees for themselves.' })
  @Access(Allow.admin, Allow.self(arg('input.employeeId')))
  async setEmployeeSkills(
    @Args('input') input: SetEmployeeSkillsInput,
    @CurrentActor() actor: Actor,
  ): Promise<SetEmployeeSkillsPayload> {
    return {
      employee: await this.employeeService.setSkills(input.employeeId, input.skills, actor.id),
    };
  }

  @ResolveField(() => Team, { description: 'Where their market earnings go.' })
  homeTeam(employee: Employee, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, employee.homeTeamId, 'Team');
  }

  @ResolveField(() => [TeamMembership], { description: atMost(MAX_TEAMS_PER_EMPLOYEE) })
  @MaxItems(MAX_TEAMS_PER_EMPLOYEE)
  memberships(
    employee: Employee,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<TeamMembership[]> {
    return loaders.get(this.employeeService.membershipsByEmployee).load(employee.id);
  }

  @ResolveField(() => [EmployeeSkill], { description: 'Strongest first.' })
  @MaxItems(MAX_SKILLS_PER_EMPLOYEE)
  async skills(
    @Parent() employee: Employee,
    @Args() args: EmployeeSkillsArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<EmployeeSkill[]> {
    const skills = await loaders.get(this.employeeService.skillsByEmployee).load(employee.id);
    return skills.slice(0, args.first);
  }
}
