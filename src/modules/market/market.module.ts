import { RevisionModule } from '../revision/revision.module.js';
import { NeedEditResolver } from './need-edit.resolver.js';
import { NeedEditService } from './need-edit.service.js';
import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { SkillModule } from '../skill/skill.module.js';
import { TeamModule } from '../team/team.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { InitiativeEndingHooks } from '../initiative/initiative-ending.js';
import { BidSkillEntity } from './bid-skill.entity.js';
import { BuyerKind } from './market.enums.js';
import { BidEntity } from './bid.entity.js';
import { BidRepository } from './bid.repository.js';
import { BidResolver } from './bid.resolver.js';
import { BidService } from './bid.service.js';
import { CandidateMatchResolver } from './candidate-match.resolver.js';
import { EmployeeMarketResolver } from './employee-market.resolver.js';
import { EngagementEntity } from './engagement.entity.js';
import { EngagementRepository } from './engagement.repository.js';
import { EngagementResolver } from './engagement.resolver.js';
import { EngagementService } from './engagement.service.js';
import { InitiativeMarketResolver } from './initiative-market.resolver.js';
import { LeaverMarketService } from './leaver-market.service.js';
import { MarketSettingsEntity } from './market-settings.entity.js';
import { MarketSettingsRepository } from './market-settings.repository.js';
import { MarketSettingsResolver } from './market-settings.resolver.js';
import { MarketSettingsService } from './market-settings.service.js';
import { MatchingRepository } from './matching.repository.js';
import { NeedAccountResolver } from './need-account.resolver.js';
import { NeedSkillEntity } from './need-skill.entity.js';
import { NeedEntity } from './need.entity.js';
import { NeedRepository } from './need.repository.js';
import { NeedResolver } from './need.resolver.js';
import { NeedService } from './need.service.js';
import { RequiredSkillResolver } from './required-skill.resolver.js';
import { SkillMatchResolver } from './skill-match.resolver.js';
import { DisputeRepository } from './dispute.repository.js';
import { DisputeResolver } from './dispute.resolver.js';
import { DisputeService } from './dispute.service.js';
import { TimeLogEntity } from './time-log.entity.js';
import { TimesheetSettlement } from './timesheet-settlement.js';
import { WorkLockRepository } from './work-lock.repository.js';
import { TimesheetRepository } from './timesheet.repository.js';
import { TimesheetResolver } from './timesheet.resolver.js';
import { TimesheetService } from './timesheet.service.js';
import { TimesheetDisputeEntity } from './timesheet-dispute.entity.js';
import { TimesheetEntity } from './timesheet.entity.js';
import { TimeLogRepository } from './time-log.repository.js';

/** The internal market: needs, bids, engagements, time and pay. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      NeedEntity,
      NeedSkillEntity,
      BidEntity,
      BidSkillEntity,
      EngagementEntity,
      TimeLogEntity,
      TimesheetEntity,
      TimesheetDisputeEntity,
      MarketSettingsEntity,
    ]),
    AuditModule,
    EmployeeModule,
    InitiativeModule,
    LedgerModule,
    RevisionModule,
    SkillModule,
    TeamModule,
  ],
  providers: [
    NeedRepository,
    BidRepository,
    EngagementRepository,
    TimeLogRepository,
    TimesheetRepository,
    DisputeRepository,
    MatchingRepository,
    MarketSettingsRepository,
    MarketSettingsService,
    NeedService,
    NeedEditService,
    BidService,
    EngagementService,
    TimesheetSettlement,
    WorkLockRepository,
    TimesheetService,
    DisputeService,
    LeaverMarketService,
    NeedResolver,
    NeedEditResolver,
    RequiredSkillResolver,
    BidResolver,
    EngagementResolver,
    TimesheetResolver,
    DisputeResolver,
    EmployeeMarketResolver,
    CandidateMatchResolver,
    SkillMatchResolver,
    InitiativeMarketResolver,
    NeedAccountResolver,
    MarketSettingsResolver,
  ],
  exports: [NeedService, BidService, EngagementService, TimesheetService, LeaverMarketService],
})
export class MarketModule implements OnModuleInit {
  constructor(
    private readonly endingHooks: InitiativeEndingHooks,
    private readonly needs: NeedService,
  ) {}

  /** An initiative that ends closes its needs first, so their escrow is refunded with its budget. */
  onModuleInit(): void {
    this.endingHooks.register(async (tx, initiative) => {
      await this.needs.closeNeedsOf(tx, BuyerKind.INITIATIVE, initiative.id);
    });
  }
}
