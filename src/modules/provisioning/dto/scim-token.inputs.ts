import { Field, ID, InputType } from '@nestjs/graphql';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Tidy } from '../../../common/validation/string-transforms.js';

@InputType()
export class CreateScimTokenInput {
  @Field({ description: 'What it is for, e.g. "Okta production" (up to 100 characters).' })
  @Tidy()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

@InputType()
export class RevokeScimTokenInput {
  @Field(() => ID)
  @IsUUID()
  scimTokenId: string;
}
