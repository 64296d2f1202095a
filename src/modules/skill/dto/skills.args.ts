import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { Tidy } from '../../../common/validation/string-transforms.js';

@InputType()
export class SkillFilter {
  @Field({ nullable: true, description: 'Part of the name, any case.' })
  @IsOptional()
  @Tidy()
  @IsString()
  @MaxLength(100)
  name?: string;
}

@ArgsType()
export class SkillsArgs extends ConnectionArgs {
  @Field(() => SkillFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SkillFilter)
  filter?: SkillFilter;
}
