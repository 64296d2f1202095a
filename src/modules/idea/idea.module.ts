import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmployeeModule } from '../employee/employee.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { SkillModule } from '../skill/skill.module.js';
import { TeamModule } from '../team/team.module.js';
import { RevisionModule } from '../revision/revision.module.js';
import { IdeaAccountResolver } from './idea-account.resolver.js';
import { IdeaEditResolver } from './idea-edit.resolver.js';
import { IdeaEditService } from './idea-edit.service.js';
import { IdeaFundingResolver } from './idea-funding.resolver.js';
import { IdeaFundingService } from './idea-funding.service.js';
import { EndorsementEntity, IdeaSkillEntity, PledgeEntity } from './idea-relations.entity.js';
import { IdeaEntity } from './idea.entity.js';
import { IdeaRepository } from './idea.repository.js';
import { IdeaResolver } from './idea.resolver.js';
import { IdeaService } from './idea.service.js';
import { InitiativeIdeaResolver } from './initiative-idea.resolver.js';
import { PledgeRepository } from './pledge.repository.js';
import { PledgeResolver } from './pledge.resolver.js';
import { SimilarIdeaResolver } from './similar-idea.resolver.js';

/** Ideas, from proposal through endorsements and pledges to a decision. */
@Module({
  imports: [
    TypeOrmModule.forFeature([IdeaEntity, IdeaSkillEntity, EndorsementEntity, PledgeEntity]),
    EmployeeModule,
    InitiativeModule,
    LedgerModule,
    RevisionModule,
    SkillModule,
    TeamModule,
  ],
  providers: [
    IdeaRepository,
    PledgeRepository,
    IdeaService,
    IdeaFundingService,
    IdeaEditService,
    IdeaResolver,
    IdeaEditResolver,
    IdeaFundingResolver,
    SimilarIdeaResolver,
    PledgeResolver,
    InitiativeIdeaResolver,
    IdeaAccountResolver,
  ],
  exports: [IdeaService, IdeaFundingService],
})
export class IdeaModule {}
