import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Access, AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { DateRange, sundayOf, type WeekRange } from '../../common/graphql/date-range.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { accountOwnerKey, LedgerService } from '../ledger/ledger.service.js';
import { LedgerAccount, LedgerEntry, Transfer } from '../ledger/models/ledger.models.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { canReadTeamBooks, teamBooksRules } from './books-policy.js';
import {
  AllocateCreditsPayload,
  LedgerEntryConnection,
  PnlFigures,
  PnlWeek,
  TeamLedger,
} from './budget.models.js';
import { latestWeeks, MAX_PNL_WEEKS, pnlOf, pnlWeeksOf, ZERO_PNL, type Pnl } from './pnl.js';
import { BudgetService } from './budget.service.js';
import { AllocateCreditsInput } from './dto/allocate-credits.input.js';

const ALL_TIME: WeekRange = { from: null, to: null };

@Resolver(() => TeamLedger)
export class TeamLedgerResolver {
  constructor(
    private readonly budget: BudgetService,
    private readonly ledger: LedgerService,
    private readonly teams: TeamService,
    private readonly flows: AccountFlowService,
  ) {}

  @Mutation(() => AllocateCreditsPayload, { description: 'Admin only. Issues credits to a team.' })
  @AdminOnly()
  async allocateCredits(
    @Args('input') input: AllocateCreditsInput,
    @CurrentActor() actor: Actor,
  ): Promise<AllocateCreditsPayload> {
    const transfer = await this.budget.allocateCredits(input, actor);
    return { transfer, team: await this.teams.findById(input.teamId, 'input.teamId') };
  }

  @Query(() => TeamLedger, {
    description: "A team's books. Admins and team leads see every team's; members their own.",
  })
  @Access(...teamBooksRules('teamId'))
  async teamLedger(
    @Args('teamId', { type: () => ID }, UuidPipe) teamId: string,
    @Args('period', {
      type: () => DateRange,
      nullable: true,
      description: `Counted by whole weeks (Monday to Sunday, UTC), at most ${MAX_PNL_WEEKS} of them; all time if omitted.`,
    })
    period?: DateRange,
  ): Promise<TeamLedger> {
    const weeks = pnlWeeksOf(period);
    const team = await this.teams.findById(teamId, 'teamId');
    const account = await this.ledger.findAccountOf(AccountKind.TEAM, teamId);
    return {
      team,
      account,
      balance: account.balance,
      weeks,
      period: { from: weeks.from, to: weeks.to ? sundayOf(weeks.to) : null },
    };
  }

  @ResolveField(() => PnlFigures, { description: 'The P&L over the period.' })
  pnl(ledger: TeamLedger, _: unknown, { loaders }: GraphQLContext): Promise<PnlFigures> {
    return this.pnlFigures(ledger, loaders);
  }

  private async pnlFigures(ledger: TeamLedger, loaders: RequestLoaders): Promise<PnlFigures> {
    return pnlOf(
      await loaders
        .get(this.flows.totals)
        .load({ accountId: ledger.account.id, weeks: ledger.weeks }),
    );
  }

  @ResolveField(() => CreditsScalar, {
    description: 'Earned from the market over the period (pnl.earned).',
  })
  async earned(ledger: TeamLedger, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return (await this.pnlFigures(ledger, loaders)).earned;
  }

  @ResolveField(() => CreditsScalar, { description: 'Spent on needs over the period (pnl.spent).' })
  async spent(ledger: TeamLedger, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return (await this.pnlFigures(ledger, loaders)).spent;
  }

  @ResolveField(() => [PnlWeek], {
    description: atMost(
      MAX_PNL_WEEKS,
      'Week by week over the period, for charts (quiet weeks left out); over all time, the latest weeks.',
    ),
  })
  @MaxItems(MAX_PNL_WEEKS)
  async weekly(ledger: TeamLedger, _: unknown, { loaders }: GraphQLContext): Promise<PnlWeek[]> {
    const weeks = await loaders
      .get(this.flows.weekly)
      .load({ accountId: ledger.account.id, weeks: ledger.weeks });
    return latestWeeks(weeks).map((w) => ({ week: w.week, ...pnlOf(w.flows) }));
  }

  @ResolveField(() => LedgerEntryConnection, {
    description: 'Transfers in the period, newest first.',
  })
  entries(
    @Parent() ledger: TeamLedger,
    @Args() page: ConnectionArgs,
  ): Promise<LedgerEntryConnection> {
    return this.ledger.entries(ledger.account.id, page.first, page.after, ledger.weeks);
  }
}

/** A team's money, under the open-books rule: admins, every team lead, and the team's members. */
@Resolver(() => Team)
export class TeamBalanceResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly flows: AccountFlowService,
  ) {}

  @ResolveField(() => CreditsScalar, {
    description: 'Earned from the market, all time (see teamLedger for periods).',
  })
  async earned(
    @Parent() team: Team,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<number> {
    return (await this.allTime(team, actor, loaders)).earned;
  }

  @ResolveField(() => CreditsScalar, {
    description:
      'Put into its needs’ escrow net of returns, all time (see teamLedger for periods).',
  })
  async spent(
    @Parent() team: Team,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<number> {
    return (await this.allTime(team, actor, loaders)).spent;
  }

  private async allTime(team: Team, actor: Actor, loaders: RequestLoaders): Promise<Pnl> {
    if (!canReadTeamBooks(actor, team.id))
      throw forbidden("Only leads and the team's members see its books");
    const account = await loaders
      .get(this.ledger.accountOfOwner)
      .load(accountOwnerKey(AccountKind.TEAM, team.id));
    if (!account) return ZERO_PNL;
    return pnlOf(
      await loaders.get(this.flows.totals).load({ accountId: account.id, weeks: ALL_TIME }),
    );
  }

  @ResolveField(() => CreditsScalar, {
    description: "Credits the team holds. Visible to admins, team leads and the team's members.",
  })
  async balance(
    @Parent() team: Team,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<number> {
    if (!canReadTeamBooks(actor, team.id))
      throw forbidden("Only leads and the team's members see its balance");
    const account = await loaders
      .get(this.ledger.accountOfOwner)
      .load(accountOwnerKey(AccountKind.TEAM, team.id));
    return account?.balance ?? 0;
  }
}

@Resolver(() => LedgerEntry)
export class LedgerEntryResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => LedgerAccount, { description: 'Where the credits came from or went to.' })
  async counterparty(
    entry: LedgerEntry,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<LedgerAccount> {
    return (await loaders.get(this.ledger.accountById).load(entry.counterpartyAccountId))!;
  }
}

@Resolver(() => Transfer)
export class TransferResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => LedgerAccount)
  async from(transfer: Transfer, _: unknown, { loaders }: GraphQLContext): Promise<LedgerAccount> {
    return (await loaders.get(this.ledger.accountById).load(transfer.fromAccountId))!;
  }

  @ResolveField(() => LedgerAccount)
  async to(transfer: Transfer, _: unknown, { loaders }: GraphQLContext): Promise<LedgerAccount> {
    return (await loaders.get(this.ledger.accountById).load(transfer.toAccountId))!;
  }
}

@Resolver(() => LedgerAccount)
export class LedgerAccountResolver {
  constructor(private readonly teams: TeamService) {}

  @ResolveField(() => Team, { nullable: true, description: 'The team, for a TEAM account.' })
  team(
    account: LedgerAccount,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Team | null> | null {
    return account.kind === AccountKind.TEAM && account.ownerId
      ? loaders.get(this.teams.byId).load(account.ownerId)
      : null;
  }
}
