import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmployeeModule } from '../employee/employee.module.js';
import { LeaversModule } from '../leavers/leavers.module.js';
import { TeamArchiveModule } from '../team-archive/team-archive.module.js';
import { TeamModule } from '../team/team.module.js';
import { PeopleImportService } from './import/people-import.service.js';
import { ScimDirectoryRepository } from './scim/scim-directory.repository.js';
import { ScimDiscoveryController } from './scim/scim-discovery.controller.js';
import { ScimGroupsController } from './scim/scim-groups.controller.js';
import { ScimGroupsService } from './scim/scim-groups.service.js';
import { ScimGuard } from './scim/scim.guard.js';
import { ScimUsersController } from './scim/scim-users.controller.js';
import { ScimUsersService } from './scim/scim-users.service.js';
import { ScimTokenEntity } from './scim-token.entity.js';
import { ScimTokenRepository } from './scim-token.repository.js';
import { ScimTokenResolver } from './scim-token.resolver.js';
import { ScimTokenService } from './scim-token.service.js';

/**
 * Provisioning from the company's directory: SCIM 2.0 at /scim/v2 (identity providers push
 * joiners, movers and leavers) and its bearer tokens, and the CSV import (npm run import:people). Writes go through the employee, team,
 * leavers and team-archive services, in one unit of work per request.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ScimTokenEntity]),
    EmployeeModule,
    TeamModule,
    LeaversModule,
    TeamArchiveModule,
  ],
  controllers: [ScimUsersController, ScimGroupsController, ScimDiscoveryController],
  providers: [
    ScimTokenRepository,
    ScimTokenService,
    ScimTokenResolver,
    ScimGuard,
    ScimDirectoryRepository,
    ScimUsersService,
    ScimGroupsService,
    PeopleImportService,
  ],
  exports: [ScimTokenService],
})
export class ProvisioningModule {}
