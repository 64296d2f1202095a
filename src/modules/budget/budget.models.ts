import { Field, ObjectType } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { Connection } from '../../common/graphql/connection.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { LedgerAccount, LedgerEntry, Transfer } from '../ledger/models/ledger.models.js';
import { Team } from '../team/team.model.js';

@ObjectType()
export class LedgerEntryConnection extends Connection(LedgerEntry) {}

@ObjectType({ description: 'A budget’s movements over a period.' })
export class PnlFigures {
  @Field(() => CreditsScalar, { description: 'Issued to it.' })
  allocated: number;

  @Field(() => CreditsScalar, {
    description: 'Earned from the market: its people’s hours on others’ needs.',
  })
  earned: number;

  @Field(() => CreditsScalar, {
    description: 'Put into its needs’ escrow, net of escrow returned.',
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
}

@ObjectType()
export class PnlWeek extends PnlFigures {
  @Field(() => GraphQLLocalDate, { description: 'The Monday the week starts on (UTC).' })
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
