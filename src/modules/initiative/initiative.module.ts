import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamModule } from '../team/team.module.js';
import {
  InitiativeMemberEntity,
  MeasurementEntity,
  MilestoneEntity,
  OutcomeMetricEntity,
} from './initiative-work.entity.js';
import { InitiativeEndingHooks } from './initiative-ending.js';
import { InitiativeEntity, InitiativeFunderEntity } from './initiative.entity.js';
import {
  InitiativeAccountResolver,
  InitiativeFunderResolver,
  InitiativeMemberResolver,
  InitiativeResolver,
  MeasurementResolver,
  MilestoneResolver,
  OutcomeMetricResolver,
} from './initiative.resolver.js';
import { InitiativeService } from './initiative.service.js';

/** Initiatives at work: members, milestones, outcome metrics, budget. */
@Module({
  imports: [
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
    InitiativeService,
    InitiativeEndingHooks,
    InitiativeResolver,
    InitiativeMemberResolver,
    InitiativeFunderResolver,
    MilestoneResolver,
    OutcomeMetricResolver,
    MeasurementResolver,
    InitiativeAccountResolver,
  ],
  exports: [InitiativeService, InitiativeEndingHooks],
})
export class InitiativeModule {}
