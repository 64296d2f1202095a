import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Access, AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { DateRange, sundayOf } from '../../common/graphql/date-range.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { TeamService } from '../team/team.service.js';
import { teamBooksRules } from './books-policy.js';
import {
  AllocateCreditsPayload,
  TransferCreditsPayload,
  LedgerEntryConnection,
  PnlFigures,
  PnlWeek,
  TeamLedger,
} from './budget.models.js';
import { BudgetService } from './budget.service.js';
import { AllocateCreditsInput } from './dto/allocate-credits.input.js';
import { TransferCreditsInput } from './dto/transfer-credits.input.js';
import { MAX_PNL_WEEKS, pnlOf, pnlWeeksOf, weeklyPnl } from './pnl.js';
import { TeamHoursService } from './team-hours.service.js';

/** A team's books over a period, and the allocation of credits to it. */
@Resolver(() => TeamLedger)
export class TeamLedgerResolver {
  constructor(
    private readonly budget: BudgetService,
    private readonly ledger: LedgerService,
    private readonly teams: TeamService,
    private readonly flows: AccountFlowService,
    private readonly hours: TeamHoursService,
  ) {}

  @Mutation(() => AllocateCreditsPayload, { description: 'Admin only. Issues credits to a team.' })
  @AdminOnly()
  async allocateCredits(
    @Args('input') input: AllocateCreditsInput,
    @CurrentActor() actor: Actor,
  ): Promise<AllocateCreditsPayload> {
    const transfer = await this.budget.allocateCredits(input, actor);
    return { transfer, team: await this.teams.findById(input.teamId, 'teamId') };
  }

  @Mutation(() => TransferCreditsPayload, {
    description:
      'Admin only. Moves credits from one team to another (ADMIN_TRANSFER), e.g. before archiving a team.',
  })
  @AdminOnly()
  async transferCredits(
    @Args('input') input: TransferCreditsInput,
    @CurrentActor() actor: Actor,
  ): Promise<TransferCreditsPayload> {
    const transfer = await this.budget.transferCredits(input, actor);
    return {
      transfer,
      from: await this.teams.findById(input.fromTeamId, 'fromTeamId'),
      to: await this.teams.findById(input.toTeamId, 'toTeamId'),
    };
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
    const [flows, hours] = await Promise.all([
      loaders.get(this.flows.totals).load({ accountId: ledger.account.id, weeks: ledger.weeks }),
      loaders.get(this.hours.totals).load({ teamId: ledger.team.id, weeks: ledger.weeks }),
    ]);
    return pnlOf(flows, hours);
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
      'Week by week over the period, for charts (weeks without credits moved or hours worked left out); over all time, the latest weeks.',
    ),
  })
  @MaxItems(MAX_PNL_WEEKS)
  async weekly(ledger: TeamLedger, _: unknown, { loaders }: GraphQLContext): Promise<PnlWeek[]> {
    const [flows, hours] = await Promise.all([
      loaders.get(this.flows.weekly).load({ accountId: ledger.account.id, weeks: ledger.weeks }),
      loaders.get(this.hours.weekly).load({ teamId: ledger.team.id, weeks: ledger.weeks }),
    ]);
    return weeklyPnl(flows, hours);
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
