import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { Tidy } from '../../../common/validation/string-transforms.js';

@InputType()
export class TeamFilter {
  @Field({ nullable: true, description: 'Part of the name, any case.' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(120)
  name?: string;
}

@ArgsType()
export class TeamsArgs extends ConnectionArgs {
  @Field(() => TeamFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TeamFilter)
  filter?: TeamFilter;
}
