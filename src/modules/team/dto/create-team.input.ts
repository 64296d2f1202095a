import { Field, InputType } from '@nestjs/graphql';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Tidy, Trim } from '../../../common/validation/string-transforms.js';

@InputType()
export class CreateTeamInput {
  @Field()
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @Field({ defaultValue: '' })
  @Trim()
  @IsString()
  @MaxLength(2000)
  purpose: string = '';
}
