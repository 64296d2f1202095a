import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmployeeModule } from '../employee/employee.module.js';
import { RevisionEntity } from './revision.entity.js';
import { RevisionRepository } from './revision.repository.js';
import { RevisionResolver } from './revision.resolver.js';
import { RevisionService } from './revision.service.js';

/** The history of edits: one table, written by the editing modules through RevisionService. */
@Module({
  imports: [TypeOrmModule.forFeature([RevisionEntity]), EmployeeModule],
  providers: [RevisionRepository, RevisionService, RevisionResolver],
  exports: [RevisionService],
})
export class RevisionModule {}
