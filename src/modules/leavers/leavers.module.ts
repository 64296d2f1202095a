import { Module } from '@nestjs/common';
import { EmployeeModule } from '../employee/employee.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { MarketModule } from '../market/market.module.js';
import { LeaversResolver } from './leavers.resolver.js';
import { LeaversService } from './leavers.service.js';

/** Offboarding leavers: across the employee, initiative and market modules, through their services. */
@Module({
  imports: [EmployeeModule, InitiativeModule, MarketModule],
  providers: [LeaversService, LeaversResolver],
  exports: [LeaversService],
})
export class LeaversModule {}
