import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../common/graphql/connection.js';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';

/** The most fields one edit changes (an idea's: title, problem, proposal, outcomes, skills). */
export const MAX_REVISED_FIELDS = 5;

/** What an edit may change: a field's value before and after. */
export type FieldValue = string | number | string[] | null;
export type Changes = Record<string, { from: FieldValue; to: FieldValue }>;

@ObjectType({
  description:
    'One changed field of a revision. Values are shown as text: numbers in decimal, lists joined by ", ", none as null.',
})
export class FieldChange {
  @Field()
  field: string;

  @Field(() => String, { nullable: true })
  from: string | null;

  @Field(() => String, { nullable: true })
  to: string | null;
}

@ObjectType({ description: 'One edit: who made it, when, and what it changed.' })
export class Revision {
  @Field(() => ID)
  id: string;

  @Field()
  at: Date;

  @Field(() => [FieldChange], { description: atMost(MAX_REVISED_FIELDS, 'The fields it changed.') })
  @MaxItems(MAX_REVISED_FIELDS)
  changes: FieldChange[];

  seq: number;
  subjectType: string;
  subjectId: string;
  editorId: string;
}

@ObjectType()
export class RevisionConnection extends Connection(Revision) {}
