import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';

@InputType()
export class AuditLogFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @Field({ nullable: true, description: 'Exact action, e.g. `ledger.allocate`.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @Field({ nullable: true, description: 'e.g. `Team`, `Employee`.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  subjectType?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @Field({ nullable: true, description: 'At or after this instant.' })
  @IsOptional()
  @IsDate()
  since?: Date;

  @Field({ nullable: true, description: 'Before this instant.' })
  @IsOptional()
  @IsDate()
  until?: Date;
}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => AuditLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditLogFilter)
  filter?: AuditLogFilter;
}
