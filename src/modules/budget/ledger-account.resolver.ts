import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';

/** The owner of an account, for the kinds this module knows (teams). */
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
