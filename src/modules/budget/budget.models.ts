import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { Connection } from '../../common/graphql/connection.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { LedgerAccount, LedgerEntry, Transfer } from '../ledger/models/ledger.models.js';
import { Team } from '../team/team.model.js';

@ObjectType()
export class LedgerEntryConnection extends Connection(LedgerEntry) {}

/** How every worked-hours figure is counted. */
const WORKED =
  'Hours its people worked on the market (paid to it: their home team when they logged them), in the ISO weeks (Monday to Sunday, UTC) of the period by the day worked,';

@ObjectType({
  description:
    'A budget’s movements over a period (credits by the week they moved) and its people’s hours by review state (by the week worked).',
})
export class PnlFigures {
  @Field(() => CreditsScalar, { description: 'Issued to it.' })
  allocated: number;

  @Field(() => CreditsScalar, {
    description:
      'Earned from the market: payments for its people’s approved hours (TIME_PAYMENT), by the week paid. Hours pending or disputed earn nothing until approved.',
  })
  earned: number;

  @Field(() => CreditsScalar, {
    description:
      'Put into its needs’ escrow, net of escrow given back: returned (ESCROW_RETURN) and refunded for disputed hours (TIME_REFUND).',
  })
  spent: number;

  @Field(() => CreditsScalar, { description: 'Pledged to ideas.' })
  pledged: number;

  @Field(() => CreditsScalar, { description: 'Pledges and initiative budgets returned to it.' })
  refunded: number;

  @Field(() => CreditsScalar, {
    description: 'allocated + earned − spent − pledged + refunded: the change of balance.',
  })
  net: number;

  @Field(() => Int, {
    description: `${WORKED} logged and waiting for the buyer's review: not earned yet.`,
  })
  hoursPending: number;

  @Field(() => Int, {
    description: `${WORKED} the buyer disputes, until the worker concedes or an admin decides: not earned yet.`,
  })
  hoursDisputed: number;

  @Field(() => Int, {
    description: `${WORKED} approved (by the buyer, at the end of the review window or by an admin's decision) and paid: what \`earned\` counts.`,
  })
  hoursPaid: number;

  @Field(() => Int, {
    description: `${WORKED} disputed and refunded to the buyer: never paid.`,
  })
  hoursRefunded: number;

  @Field(() => Int, {
    description:
      'Bought: hours logged on the needs it buys (not its initiatives’), in the ISO weeks (Monday to Sunday, UTC) of the period by the day worked, still pending or disputed: escrow it has not yet paid out or got back.',
  })
  hoursBoughtUnderReview: number;
}

@ObjectType()
export class PnlWeek extends PnlFigures {
  @Field(() => GraphQLLocalDate, {
    description:
      'The Monday the week starts on (UTC): credits that moved and hours worked in that ISO week.',
  })
  week: string;
}

@ObjectType({ description: 'The whole weeks a period covers.' })
export class ResolvedPeriod {
  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'The first Monday counted; none: from the start.',
  })
  from: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'The last Sunday counted; none: up to now.',
  })
  to: string | null;
}

@ObjectType({ description: "A team's books: balance, P&L over a period, and its statement." })
export class TeamLedger {
  @Field(() => Team)
  team: Team;

  @Field(() => LedgerAccount)
  account: LedgerAccount;

  @Field(() => CreditsScalar, { description: 'Now.' })
  balance: number;

  @Field(() => ResolvedPeriod)
  period: ResolvedPeriod;

  weeks: WeekRange;
}

@ObjectType()
export class AllocateCreditsPayload {
  @Field(() => Transfer)
  transfer: Transfer;

  @Field(() => Team)
  team: Team;
}

@ObjectType()
export class TransferCreditsPayload {
  @Field(() => Transfer)
  transfer: Transfer;

  @Field(() => Team, { description: 'The paying team.' })
  from: Team;

  @Field(() => Team, { description: 'The receiving team.' })
  to: Team;
}
