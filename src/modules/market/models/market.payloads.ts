import { createUnionType, Field, ObjectType } from '@nestjs/graphql';
import { MAX_NEED_HOURS_PER_WEEK } from '../dto/post-need.input.js';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';
import { Transfer } from '../../ledger/models/ledger.models.js';
import { Initiative } from '../../initiative/models/initiative.models.js';
import { Team } from '../../team/team.model.js';
import { Bid, Engagement, Need, TimeLog } from './market.models.js';
import { Timesheet, TimesheetDispute } from './timesheet.models.js';

export const NeedBuyer = createUnionType({
  name: 'NeedBuyer',
  description: 'Who pays for a need: a team or an initiative.',
  types: () => [Team, Initiative] as const,
  // Initiatives carry a budget; teams do not.
  resolveType: (buyer: object) => ('budget' in buyer ? Initiative : Team),
});

@ObjectType()
export class PostNeedPayload {
  @Field(() => Need)
  need: Need;
}

@ObjectType()
export class EditNeedPayload {
  @Field(() => Need)
  need: Need;
}

@ObjectType()
export class RaiseNeedRatePayload {
  @Field(() => Need)
  need: Need;
}

@ObjectType()
export class CloseNeedPayload {
  @Field(() => Need)
  need: Need;

  @Field(() => Transfer, {
    nullable: true,
    description: 'Unspent escrow returned to the buyer, if any.',
  })
  refund: Transfer | null;
}

@ObjectType()
export class BidPayload {
  @Field(() => Bid)
  bid: Bid;
}

@ObjectType()
export class AcceptBidPayload {
  @Field(() => Bid)
  bid: Bid;

  @Field(() => Engagement)
  engagement: Engagement;

  @Field(() => Need)
  need: Need;

  @Field(() => Transfer, { description: 'The credits moved from the buyer into escrow.' })
  transfer: Transfer;
}

@ObjectType()
export class LogTimePayload {
  @Field(() => TimeLog)
  timeLog: TimeLog;

  @Field(() => Engagement)
  engagement: Engagement;
}

@ObjectType()
export class ApproveTimesheetPayload {
  @Field(() => Timesheet)
  timesheet: Timesheet;

  // One per payee team: at most one per log, and a week holds at most this many.
  @Field(() => [Transfer], {
    description: atMost(
      MAX_NEED_HOURS_PER_WEEK,
      'The payments made: one per home team the hours were worked for.',
    ),
  })
  @MaxItems(MAX_NEED_HOURS_PER_WEEK)
  payments: Transfer[];
}

@ObjectType()
export class DisputeTimesheetPayload {
  @Field(() => TimesheetDispute)
  dispute: TimesheetDispute;

  @Field(() => Timesheet)
  timesheet: Timesheet;
}

@ObjectType()
export class SettleDisputePayload {
  @Field(() => TimesheetDispute)
  dispute: TimesheetDispute;

  @Field(() => Timesheet)
  timesheet: Timesheet;

  @Field(() => [Transfer], {
    description: atMost(MAX_NEED_HOURS_PER_WEEK, 'The refund, or the payment(s), that settled it.'),
  })
  @MaxItems(MAX_NEED_HOURS_PER_WEEK)
  transfers: Transfer[];
}
