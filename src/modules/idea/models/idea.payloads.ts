import { Field, ObjectType } from '@nestjs/graphql';
import { Initiative } from '../../initiative/models/initiative.models.js';
import { Transfer } from '../../ledger/models/ledger.models.js';
import { Idea, Pledge } from './idea.models.js';

@ObjectType()
export class IdeaPayload {
  @Field(() => Idea)
  idea: Idea;
}

@ObjectType()
export class PledgeToIdeaPayload {
  @Field(() => Idea)
  idea: Idea;

  @Field(() => Pledge)
  pledge: Pledge;

  @Field(() => Transfer)
  transfer: Transfer;
}

@ObjectType()
export class ApproveIdeaPayload {
  @Field(() => Idea)
  idea: Idea;

  @Field(() => Initiative)
  initiative: Initiative;
}

@ObjectType()
export class CloseIdeaPayload {
  @Field(() => Idea)
  idea: Idea;

  @Field(() => [Transfer], { description: 'Each pledge, back to the team that made it.' })
  refunds: Transfer[];
}
