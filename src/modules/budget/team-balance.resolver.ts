import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { accountOwnerKey, LedgerService } from '../ledger/ledger.service.js';
import { Team } from '../team/team.model.js';
import { canReadTeamBooks } from './books-policy.js';
import { pnlOf, ZERO_PNL, type Pnl } from './pnl.js';

const ALL_TIME: WeekRange = { from: null, to: null };

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
