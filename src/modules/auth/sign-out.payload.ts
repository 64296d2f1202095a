import { Field, ObjectType } from '@nestjs/graphql';
import { Employee } from '../employee/employee.model.js';

@ObjectType()
export class SignOutEverywherePayload {
  @Field(() => Employee, { description: 'Who was signed out: sign in again to go on.' })
  employee: Employee;
}
