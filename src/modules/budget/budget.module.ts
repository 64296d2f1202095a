import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamModule } from '../team/team.module.js';
import { BudgetService } from './budget.service.js';
import { LedgerAccountResolver } from './ledger-account.resolver.js';
import { LedgerEntryResolver } from './ledger-entry.resolver.js';
import { LedgerViewResolver } from './ledger-view.resolver.js';
import { TeamBalanceResolver } from './team-balance.resolver.js';
import { TeamHoursRepository } from './team-hours.repository.js';
import { TeamHoursService } from './team-hours.service.js';
import { TeamLedgerResolver } from './team-ledger.resolver.js';
import { TransferResolver } from './transfer.resolver.js';

/** Team budgets on top of the ledger: allocation, balances, statements, hours by review state. */
@Module({
  imports: [AuditModule, LedgerModule, TeamModule],
  providers: [
    BudgetService,
    TeamHoursRepository,
    TeamHoursService,
    TeamLedgerResolver,
    TeamBalanceResolver,
    LedgerEntryResolver,
    TransferResolver,
    LedgerAccountResolver,
    LedgerViewResolver,
  ],
  exports: [BudgetService, TeamHoursService],
})
export class BudgetModule {}
