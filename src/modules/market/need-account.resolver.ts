import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { Need } from './models/market.models.js';
import { NeedService } from './need.service.js';

/** A NEED_ESCROW account's need. */
@Resolver(() => LedgerAccount)
export class NeedAccountResolver {
  constructor(private readonly needService: NeedService) {}

  @ResolveField(() => Need, { nullable: true, description: 'The need, for a NEED_ESCROW account.' })
  need(
    account: LedgerAccount,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Need | null> | null {
    return account.kind === AccountKind.NEED_ESCROW && account.ownerId
      ? loaders.get(this.needService.byId).load(account.ownerId)
      : null;
  }
}
