import { Field, ID, InputType } from '@nestjs/graphql';
import { IsInt, IsNotEmpty, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Trim } from '../../../common/validation/string-transforms.js';
import { MAX_ALLOCATION } from './allocate-credits.input.js';

@InputType()
export class TransferCreditsInput {
  @Field(() => ID, { description: 'The paying team (it may be archived: emptying it is allowed).' })
  @IsUUID()
  fromTeamId: string;

  @Field(() => ID, { description: 'The receiving team; not archived, not the paying team.' })
  @IsUUID()
  toTeamId: string;

  @Field(() => CreditsScalar, {
    description: `1 to ${MAX_ALLOCATION.toLocaleString('en')} credits, at most what the paying team holds.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ALLOCATION)
  amount: number;

  @Field({ description: 'Why: shown on both statements and kept in the audit log.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}
