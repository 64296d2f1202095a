import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Skill } from '../skill/skill.model.js';
import { Connection } from '../../common/graphql/connection.js';
import { TeamRole } from '../team/team-role.js';

@ObjectType({ description: 'A person in the organisation.' })
export class Employee {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  email: string;

  @Field()
  title: string;

  @Field(() => Int, {
    description: 'Hours a week this person may give to the market and initiatives.',
  })
  weeklyCapacityHours: number;

  @Field(() => Int, {
    description:
      'Hours a week already promised: active market engagements and initiative memberships.',
  })
  committedHoursPerWeek: number;

  @Field()
  isAdmin: boolean;

  @Field()
  createdAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When an admin deactivated this person (a leaver); null while they are active.',
  })
  deactivatedAt: Date | null;

  homeTeamId: string;
  /** The company directory's ids (SCIM userName when not the e-mail, and externalId). */
  userName?: string | null;
  externalId?: string | null;
}

@ObjectType()
export class EmployeeConnection extends Connection(Employee) {}

@ObjectType({ description: "An employee's place in a team." })
export class TeamMembership {
  @Field(() => TeamRole)
  role: TeamRole;

  @Field({ description: 'When the employee joined the team (or last changed role).' })
  since: Date;

  teamId: string;
  employeeId: string;
  /** The employee's name: the sort key of a team's member list. */
  employeeName: string;
}

@ObjectType()
export class TeamMembershipConnection extends Connection(TeamMembership) {}

@ObjectType({ description: 'A skill an employee has, at a level from 1 (novice) to 5 (expert).' })
export class EmployeeSkill {
  @Field(() => Int)
  level: number;

  /** Read with the level (one join), so a list of people with skills costs no extra lookups. */
  @Field(() => Skill)
  skill: Skill;

  skillId: string;
  employeeId: string;
}
