import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { LedgerAccount, Transfer } from '../ledger/models/ledger.models.js';

/** A transfer's two accounts. */
@Resolver(() => Transfer)
export class TransferResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => LedgerAccount)
  from(transfer: Transfer, _: unknown, { loaders }: GraphQLContext): Promise<LedgerAccount> {
    return loaders.loadRequired(this.ledger.accountById, transfer.fromAccountId, 'Account');
  }

  @ResolveField(() => LedgerAccount)
  to(transfer: Transfer, _: unknown, { loaders }: GraphQLContext): Promise<LedgerAccount> {
    return loaders.loadRequired(this.ledger.accountById, transfer.toAccountId, 'Account');
  }
}
