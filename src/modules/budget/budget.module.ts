import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamModule } from '../team/team.module.js';
import { BudgetService } from './budget.service.js';
import { LedgerAccountResolver } from './ledger-account.resolver.js';
import { LedgerEntryResolver } from './ledger-entry.resolver.js';
import { TeamBalanceResolver } from './team-balance.resolver.js';
import { TeamLedgerResolver } from './team-ledger.resolver.js';
import { TransferResolver } from './transfer.resolver.js';

/** Team budgets on top of the ledger: allocation, balances, statements. */
@Module({
  imports: [AuditModule, LedgerModule, TeamModule],
  providers: [
    BudgetService,
    TeamLedgerResolver,
    TeamBalanceResolver,
    LedgerEntryResolver,
    TransferResolver,
    LedgerAccountResolver,
  ],
  exports: [BudgetService],
})
export class BudgetModule {}
