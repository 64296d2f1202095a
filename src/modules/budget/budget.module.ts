import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamModule } from '../team/team.module.js';
import {
  LedgerAccountResolver,
  LedgerEntryResolver,
  TeamBalanceResolver,
  TeamLedgerResolver,
  TransferResolver,
} from './budget.resolver.js';
import { BudgetService } from './budget.service.js';

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
