import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection } from '../../common/graphql/connection.js';

@ObjectType({ description: 'An append-only record of one state change.' })
export class AuditEvent {
  @Field(() => ID)
  id: string;

  @Field({ description: '`<domain>.<verb>`, e.g. `team.create`, `ledger.allocate`.' })
  action: string;

  @Field()
  subjectType: string;

  @Field(() => ID, { nullable: true })
  subjectId: string | null;

  @Field(() => GraphQLJSONObject)
  payload: Record<string, unknown>;

  @Field()
  at: Date;

  seq: number;
  actorId: string | null;
}

@ObjectType()
export class AuditEventConnection extends Connection(AuditEvent) {}
