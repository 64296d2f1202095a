import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BudgetModule } from '../budget/budget.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { SkillModule } from '../skill/skill.module.js';
import { TeamModule } from '../team/team.module.js';
import { DashboardResolver } from './dashboard.resolver.js';
import { ExportController } from './export.controller.js';
import { IdeaFunnelRepository } from './idea-funnel.repository.js';
import { IdeaFunnelService } from './idea-funnel.service.js';
import { InitiativeOutcomeResolver } from './initiative-outcome.resolver.js';
import { InitiativeOutcomesRepository } from './initiative-outcomes.repository.js';
import { InitiativeOutcomesResolver } from './initiative-outcomes.resolver.js';
import { InitiativeOutcomesService } from './initiative-outcomes.service.js';
import { MarketStatsRepository } from './market-stats.repository.js';
import { MarketStatsService } from './market-stats.service.js';
import { DashboardPageController } from './page.controller.js';
import { SkillMarketStatsResolver } from './skill-market-stats.resolver.js';
import { SummaryRefreshEntity } from './summary-refresh.entity.js';
import { SummaryRefreshRepository } from './summary-refresh.repository.js';
import { SummaryRefreshService } from './summary-refresh.service.js';
import { TeamPnlReportResolver } from './team-pnl-report.resolver.js';
import { TeamPnlRepository } from './team-pnl.repository.js';
import { TeamPnlResolver } from './team-pnl.resolver.js';
import { TeamPnlService } from './team-pnl.service.js';

/** Dashboards: outcome, market, funnel and P&L queries, CSV exports and the /dashboard page. */
@Module({
  imports: [
    TypeOrmModule.forFeature([SummaryRefreshEntity]),
    BudgetModule,
    InitiativeModule,
    LedgerModule,
    SkillModule,
    TeamModule,
  ],
  controllers: [DashboardPageController, ExportController],
  providers: [
    InitiativeOutcomesRepository,
    MarketStatsRepository,
    IdeaFunnelRepository,
    TeamPnlRepository,
    SummaryRefreshRepository,
    InitiativeOutcomesService,
    MarketStatsService,
    IdeaFunnelService,
    TeamPnlService,
    SummaryRefreshService,
    DashboardResolver,
    InitiativeOutcomeResolver,
    InitiativeOutcomesResolver,
    SkillMarketStatsResolver,
    TeamPnlResolver,
    TeamPnlReportResolver,
  ],
  exports: [SummaryRefreshService],
})
export class DashboardModule {}
