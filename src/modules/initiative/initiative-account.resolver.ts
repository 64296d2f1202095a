import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { InitiativeRepository } from './initiative.repository.js';
import { Initiative } from './models/initiative.models.js';

/** An INITIATIVE account's initiative. */
@Resolver(() => LedgerAccount)
export class InitiativeAccountResolver {
  constructor(private readonly initiatives: InitiativeRepository) {}

  @ResolveField(() => Initiative, {
    nullable: true,
    description: 'The initiative, for an INITIATIVE account.',
  })
  initiative(
    account: LedgerAccount,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Initiative | null> | null {
    return account.kind === AccountKind.INITIATIVE && account.ownerId
      ? loaders.get(this.initiatives.byId).load(account.ownerId)
      : null;
  }
}
