import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { canReadAccountBalance } from './books-policy.js';

/** The owner of an account, for the kinds this module knows (teams), and its balance. */
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

  // Decorators: the rule depends on the actor.
  // Nullable: a statement lists accounts of several owners, and one hidden balance must not
  // take the others with it.
  @ResolveField(() => CreditsScalar, {
    nullable: true,
    description:
      "Credits the account holds (the sum of its transfers), as its owner's own balance shows it and to the same readers: a TEAM's to admins, team leads and the team's members (Team.balance); an IDEA_ESCROW's, NEED_ESCROW's or INITIATIVE's to everyone (Idea.escrowBalance, Need.escrowBalance, Initiative.balance); ISSUANCE's, negative, to admins. Otherwise null, with a FORBIDDEN error at its path.",
  })
  balance(@Parent() account: LedgerAccount, @CurrentActor() actor: Actor): number {
    if (!canReadAccountBalance(actor, account)) {
      throw forbidden("Only those who may see its owner's balance see an account's balance");
    }
    return account.balance;
  }
}
