import { Field, ObjectType } from '@nestjs/graphql';
import { Employee, TeamMembership } from './employee.model.js';

@ObjectType()
export class CreateEmployeePayload {
  @Field(() => Employee)
  employee: Employee;
}

@ObjectType()
export class SetEmployeeSkillsPayload {
  @Field(() => Employee)
  employee: Employee;
}

@ObjectType()
export class AddTeamMemberPayload {
  @Field(() => TeamMembership)
  membership: TeamMembership;
}

@ObjectType()
export class UpdateEmployeePayload {
  @Field(() => Employee)
  employee: Employee;
}

@ObjectType()
export class MoveEmployeePayload {
  @Field(() => Employee)
  employee: Employee;
}

@ObjectType()
export class SetTeamMemberRolePayload {
  @Field(() => TeamMembership)
  membership: TeamMembership;
}

@ObjectType()
export class RemoveTeamMemberPayload {
  @Field(() => Employee, { description: 'The employee, no longer in the team.' })
  employee: Employee;
}

@ObjectType()
export class DeactivateEmployeePayload {
  @Field(() => Employee)
  employee: Employee;
}

@ObjectType()
export class ReactivateEmployeePayload {
  @Field(() => Employee)
  employee: Employee;
}
