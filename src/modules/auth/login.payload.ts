import { Field, ObjectType } from '@nestjs/graphql';
import { Employee } from '../employee/employee.model.js';

@ObjectType()
export class LoginPayload {
  @Field({ description: 'Send it as `Authorization: Bearer <token>`.' })
  token: string;

  @Field()
  expiresAt: Date;

  @Field(() => Employee)
  employee: Employee;
}
