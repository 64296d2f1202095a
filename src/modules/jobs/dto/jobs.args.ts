import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { JobState } from '../models/job.model.js';

@InputType()
export class JobFilter {
  @Field(() => JobState, { nullable: true })
  @IsOptional()
  @IsEnum(JobState)
  state?: JobState;

  @Field({ nullable: true, description: 'Exact job name, e.g. `dashboard.refresh-summaries`.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

@ArgsType()
export class JobsArgs extends ConnectionArgs {
  @Field(() => JobFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => JobFilter)
  filter?: JobFilter;
}
