import { Field, ID, InputType } from '@nestjs/graphql';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Tidy } from '../../../common/validation/string-transforms.js';

@InputType()
export class RenameTeamInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field({ description: 'Unique, any case.' })
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}
