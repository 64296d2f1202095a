import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@InputType()
export class SignOutEverywhereInput {
  @Field(() => ID, { description: 'Yourself; admins may sign anyone out.' })
  @IsUUID()
  employeeId: string;
}
