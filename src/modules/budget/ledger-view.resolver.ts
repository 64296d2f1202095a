import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { LedgerAccountsArgs, LedgerTransfersArgs } from './dto/ledger-view.args.js';
import { booksTotalsOf } from './ledger-totals.js';
import { LedgerAccountConnection, LedgerTotals, TransferConnection } from './ledger-view.models.js';

/** The auditor's view of the whole ledger: every account, every transfer, and the totals. */
@Resolver()
export class LedgerViewResolver {
  constructor(private readonly ledger: LedgerService) {}

  @Query(() => LedgerAccountConnection, {
    description:
      'Admin only. Every ledger account with its owner and balance, by kind (in name order), then oldest first.',
  })
  @AdminOnly()
  ledgerAccounts(@Args() args: LedgerAccountsArgs): Promise<LedgerAccountConnection> {
    return this.ledger.accountPage(args.filter ?? {}, args.first, args.after);
  }

  @Query(() => TransferConnection, {
    description: 'Admin only. Every transfer the filter selects, newest first (ledger order).',
  })
  @AdminOnly()
  ledgerTransfers(@Args() args: LedgerTransfersArgs): Promise<TransferConnection> {
    return this.ledger.transferPage(args.filter ?? {}, args.first, args.after);
  }

  @Query(() => LedgerTotals, {
    description:
      "Admin only. The books' totals: each kind's balances, the credits issued, and their sum, which is 0 while the books balance.",
  })
  @AdminOnly()
  async ledgerTotals(): Promise<LedgerTotals> {
    const { at, kinds } = await this.ledger.balancesByKind();
    return { asOf: at, ...booksTotalsOf(kinds) };
  }
}
