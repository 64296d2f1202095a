import { applyDecorators } from '@nestjs/common';
import { Field } from '@nestjs/graphql';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/**
 * The optional `idempotencyKey` of a money-moving mutation: a retry with the same key returns
 * the first result and moves nothing again; the same key with other arguments is a CONFLICT.
 */
export const IdempotencyKeyField = (): PropertyDecorator =>
  applyDecorators(
    Field(() => String, {
      nullable: true,
      description:
        'Client-chosen key (e.g. a UUID). A retry with the same key returns the first result; ' +
        'reusing it with different arguments is a CONFLICT.',
    }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(200),
    Matches(/^[\x21-\x7e]+$/, { message: 'idempotencyKey must be printable ASCII without spaces' }),
  );
