import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { LedgerAccount, LedgerEntry } from '../ledger/models/ledger.models.js';

/** A line of a statement: the account on the other side. */
@Resolver(() => LedgerEntry)
export class LedgerEntryResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => LedgerAccount, { description: 'Where the credits came from or went to.' })
  counterparty(
    entry: LedgerEntry,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<LedgerAccount> {
    return loaders.loadRequired(this.ledger.accountById, entry.counterpartyAccountId, 'Account');
  }
}
