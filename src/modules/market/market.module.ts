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
import { BidResolver } from './bid.resolver.js';
import { BidService } from './bid.service.js';
import { EngagementEntity } from './engagement.entity.js';
import { EngagementResolver } from './engagement.resolver.js';
import { EngagementService } from './engagement.service.js';
import {
  CandidateMatchResolver,
  EmployeeMarketResolver,
  InitiativeMarketResolver,
  NeedAccountResolver,
  SkillMatchResolver,
} from './market-views.resolver.js';
import { MatchingService } from './matching.service.js';
import { NeedSkillEntity } from './need-skill.entity.js';
import { NeedEntity } from './need.entity.js';
import { NeedResolver, RequiredSkillResolver } from './need.resolver.js';
import { NeedService } from './need.service.js';
import { TimeLogEntity } from './time-log.entity.js';

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
    NeedService,
    BidService,
    EngagementService,
    MatchingService,
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
    this.endingHooks.register((manager, initiative, actorId) =>
      this.needs.closeNeedsOfInitiative(manager, initiative.id, actorId),
    );
  }
}
