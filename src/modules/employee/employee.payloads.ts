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
