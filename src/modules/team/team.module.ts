import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TeamResolver } from './team.resolver.js';
import { TeamRepository } from './team.repository.js';
import { TeamService } from './team.service.js';
import { TeamEntity } from './team.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([TeamEntity]), LedgerModule],
  providers: [TeamRepository, TeamService, TeamResolver],
  exports: [TeamService],
})
export class TeamModule {}
