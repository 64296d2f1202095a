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
import { MatchingRepository } from './matching.repository.js';
import { NeedAccountResolver } from './need-account.resolver.js';
import { NeedSkillEntity } from './need-skill.entity.js';
import { NeedEntity } from './need.entity.js';
import { NeedRepository } from './need.repository.js';
import { NeedResolver } from './need.resolver.js';
import { NeedService } from './need.service.js';
import { RequiredSkillResolver } from './required-skill.resolver.js';
import { SkillMatchResolver } from './skill-match.resolver.js';
import { TimeLogEntity } from './time-log.entity.js';
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
    ]),
    AuditModule,
    EmployeeModule,
    InitiativeModule,
    LedgerModule,
    SkillModule,
    TeamModule,
  ],
  providers: [
    NeedRepository,
    BidRepository,
    EngagementRepository,
    TimeLogRepository,
    MatchingRepository,
    NeedService,
    BidService,
    EngagementService,
    NeedResolver,
    RequiredSkillResolver,
    BidResolver,
    EngagementResolver,
    EmployeeMarketResolver,
    CandidateMatchResolver,
    SkillMatchResolver,
    InitiativeMarketResolver,
    NeedAccountResolver,
  ],
  exports: [NeedService, BidService, EngagementService],
})
export class MarketModule implements OnModuleInit {
  constructor(
    private readonly endingHooks: InitiativeEndingHooks,
    private readonly needs: NeedService,
  ) {}

  /** An initiative that ends closes its needs first, so their escrow is refunded with its budget. */
  onModuleInit(): void {
    this.endingHooks.register((tx, initiative) =>
      this.needs.closeNeedsOfInitiative(tx, initiative.id),
    );
  }
}
