import { Field, ID, InputType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { IdempotencyKeyField } from '../../../common/validation/idempotency-key.js';
import { Trim } from '../../../common/validation/string-transforms.js';

export const MAX_ALLOCATION = 1_000_000_000;

@InputType()
export class AllocateCreditsInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => CreditsScalar, {
    description: `1 to ${MAX_ALLOCATION.toLocaleString('en')} credits.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ALLOCATION)
  amount: number;

  @Field(() => String, { nullable: true, description: 'Shown on the team statement.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  memo?: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}
