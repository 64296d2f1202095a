import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@InputType()
export class ArchiveTeamInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;
}
