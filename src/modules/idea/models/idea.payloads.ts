import { Field, ObjectType } from '@nestjs/graphql';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';
import { Initiative } from '../../initiative/models/initiative.models.js';
import { Transfer } from '../../ledger/models/ledger.models.js';
import { MAX_PLEDGES_PER_IDEA } from '../idea-limits.js';
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

  @Field(() => [Transfer], {
    description: atMost(MAX_PLEDGES_PER_IDEA, 'Each pledge, back to the team that made it.'),
  })
  @MaxItems(MAX_PLEDGES_PER_IDEA)
  refunds: Transfer[];
}
