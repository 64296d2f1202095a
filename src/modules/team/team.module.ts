import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamResolver } from './team.resolver.js';
import { TeamService } from './team.service.js';
import { TeamEntity } from './team.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([TeamEntity]), AuditModule, LedgerModule],
  providers: [TeamService, TeamResolver],
  exports: [TeamService],
})
export class TeamModule {}
