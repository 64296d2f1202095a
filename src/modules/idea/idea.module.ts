import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { SkillModule } from '../skill/skill.module.js';
import { TeamModule } from '../team/team.module.js';
import { EndorsementEntity, IdeaSkillEntity, PledgeEntity } from './idea-relations.entity.js';
import { IdeaEntity } from './idea.entity.js';
import {
  IdeaResolver,
  InitiativeIdeaResolver,
  PledgeResolver,
  SimilarIdeaResolver,
} from './idea.resolver.js';
import { IdeaService } from './idea.service.js';

/** Ideas, from proposal through endorsements and pledges to a decision. */
@Module({
  imports: [
    TypeOrmModule.forFeature([IdeaEntity, IdeaSkillEntity, EndorsementEntity, PledgeEntity]),
    AuditModule,
    EmployeeModule,
    InitiativeModule,
    LedgerModule,
    SkillModule,
    TeamModule,
  ],
  providers: [
    IdeaService,
    IdeaResolver,
    SimilarIdeaResolver,
    PledgeResolver,
    InitiativeIdeaResolver,
  ],
  exports: [IdeaService],
})
export class IdeaModule {}
