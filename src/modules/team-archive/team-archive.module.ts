import { Module } from '@nestjs/common';
import { EmployeeModule } from '../employee/employee.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MarketModule } from '../market/market.module.js';
import { TeamModule } from '../team/team.module.js';
import { TeamArchiveResolver } from './team-archive.resolver.js';
import { TeamArchiveService } from './team-archive.service.js';

/** Archiving teams: across the team, employee, ledger and market modules, through their services. */
@Module({
  imports: [TeamModule, EmployeeModule, LedgerModule, MarketModule],
  providers: [TeamArchiveService, TeamArchiveResolver],
  exports: [TeamArchiveService],
})
export class TeamArchiveModule {}
