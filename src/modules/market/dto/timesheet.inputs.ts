import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Trim } from '../../../common/validation/string-transforms.js';
import { DisputeDecision, DisputeStatus } from '../market.enums.js';

@InputType()
export class ApproveTimesheetInput {
  @Field(() => ID)
  @IsUUID()
  timesheetId: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class DisputeTimesheetInput {
  @Field(() => ID)
  @IsUUID()
  timesheetId: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'The pending time logs disputed; all of the week’s pending hours if omitted.',
  })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  timeLogIds?: string[];

  @Field({ description: 'Why: what was not delivered.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class AcceptDisputeInput {
  @Field(() => ID)
  @IsUUID()
  disputeId: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class ContestDisputeInput {
  @Field(() => ID)
  @IsUUID()
  disputeId: string;

  @Field({ description: 'Why the hours should be paid.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

@InputType()
export class ResolveDisputeInput {
  @Field(() => ID)
  @IsUUID()
  disputeId: string;

  @Field(() => DisputeDecision)
  @IsEnum(DisputeDecision)
  decision: DisputeDecision;

  @Field({ description: 'Why: shown to both sides and kept in the audit log.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class DisputeFilter {
  @Field(() => [DisputeStatus], { nullable: true, description: 'Any of these; all if omitted.' })
  @IsOptional()
  @IsEnum(DisputeStatus, { each: true })
  @ArrayMaxSize(5)
  statuses?: DisputeStatus[];
}

@ArgsType()
export class DisputesArgs extends ConnectionArgs {
  @Field(() => DisputeFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DisputeFilter)
  filter?: DisputeFilter;
}
