import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CommentModule } from '../comment/comment.module.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { IdeaModule } from '../idea/idea.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { LeaversModule } from '../leavers/leavers.module.js';
import { BudgetModule } from '../budget/budget.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { MarketModule } from '../market/market.module.js';
import { TeamModule } from '../team/team.module.js';
import { MarketSeedService } from './market-seed.service.js';
import { SeedRepository } from './seed.repository.js';
import { SeedService } from './seed.service.js';

@Module({
  imports: [
    TeamModule,
    EmployeeModule,
    BudgetModule,
    MarketModule,
    AuthModule,
    IdeaModule,
    InitiativeModule,
    CommentModule,
    DashboardModule,
    LeaversModule,
  ],
  providers: [SeedRepository, SeedService, MarketSeedService],
  exports: [SeedService],
})
export class SeedModule {}
