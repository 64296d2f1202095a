import { RevisionModule } from '../revision/revision.module.js';
import { InitiativeEditService } from './initiative-edit.service.js';
import { MilestoneEditResolver } from './milestone-edit.resolver.js';
import { MetricEditResolver } from './metric-edit.resolver.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamModule } from '../team/team.module.js';
import { InitiativeAccountResolver } from './initiative-account.resolver.js';
import { InitiativeEndingHooks } from './initiative-ending.js';
import { InitiativeChanges } from './initiative-events.js';
import { InitiativeFunderResolver } from './initiative-funder.resolver.js';
import { InitiativeMemberResolver } from './initiative-member.resolver.js';
import { InitiativeWorkResolver } from './initiative-work.resolver.js';
import {
  InitiativeMemberEntity,
  MeasurementEntity,
  MilestoneEntity,
  OutcomeMetricEntity,
} from './initiative-work.entity.js';
import { InitiativeEntity, InitiativeFunderEntity } from './initiative.entity.js';
import { InitiativeRepository } from './initiative.repository.js';
import { InitiativeResolver } from './initiative.resolver.js';
import { InitiativeService } from './initiative.service.js';
import { MeasurementCorrectionResolver } from './measurement-correction.resolver.js';
import { MeasurementResolver } from './measurement.resolver.js';
import { MeasurementService } from './measurement.service.js';
import { MembershipRepository } from './membership.repository.js';
import { MembershipService } from './membership.service.js';
import { MetricRepository } from './metric.repository.js';
import { MilestoneRepository } from './milestone.repository.js';
import { MilestoneResolver } from './milestone.resolver.js';
import { MilestoneService } from './milestone.service.js';
import { OutcomeMetricResolver } from './outcome-metric.resolver.js';
import { OutcomeMetricService } from './outcome-metric.service.js';

/** Initiatives at work: members, milestones, outcome metrics, budget. */
@Module({
  imports: [
    RevisionModule,
    TypeOrmModule.forFeature([
      InitiativeEntity,
      InitiativeFunderEntity,
      InitiativeMemberEntity,
      MilestoneEntity,
      OutcomeMetricEntity,
      MeasurementEntity,
    ]),
    AuditModule,
    EmployeeModule,
    LedgerModule,
    TeamModule,
  ],
  providers: [
    InitiativeEditService,
    MilestoneEditResolver,
    MetricEditResolver,
    InitiativeRepository,
    MembershipRepository,
    MilestoneRepository,
    MetricRepository,
    InitiativeChanges,
    InitiativeEndingHooks,
    InitiativeService,
    MembershipService,
    MilestoneService,
    OutcomeMetricService,
    MeasurementService,
    InitiativeResolver,
    InitiativeWorkResolver,
    InitiativeMemberResolver,
    InitiativeFunderResolver,
    MilestoneResolver,
    OutcomeMetricResolver,
    MeasurementResolver,
    MeasurementCorrectionResolver,
    InitiativeAccountResolver,
  ],
  exports: [
    InitiativeService,
    MembershipService,
    MilestoneService,
    OutcomeMetricService,
    MeasurementService,
    InitiativeEndingHooks,
  ],
})
export class InitiativeModule {}
