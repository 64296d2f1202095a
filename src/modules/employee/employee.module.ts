import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { SkillModule } from '../skill/skill.module.js';
import { TeamModule } from '../team/team.module.js';
import { ActiveActorGate } from './active-actor-gate.js';
import { EmployeeAdminResolver } from './employee-admin.resolver.js';
import { EmployeeAdminService } from './employee-admin.service.js';
import { EmployeeResolver } from './employee.resolver.js';
import { EmployeeService } from './employee.service.js';
import { CapacityService } from './capacity.service.js';
import { EmployeeSkillRepository } from './employee-skill.repository.js';
import { EmployeeRepository } from './employee.repository.js';
import { TeamMembersResolver } from './team-members.resolver.js';
import { TeamMembershipRepository } from './team-membership.repository.js';
import { TeamMembershipResolver } from './team-membership.resolver.js';
import { TeamMembershipAdminResolver } from './team-membership-admin.resolver.js';
import { MembershipAdminService } from './membership-admin.service.js';
import { EmployeeSkillEntity } from './employee-skill.entity.js';
import { EmployeeEntity } from './employee.entity.js';
import { TeamMembershipEntity } from './team-membership.entity.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([EmployeeEntity, EmployeeSkillEntity, TeamMembershipEntity]),
    SkillModule,
    TeamModule,
  ],
  providers: [
    EmployeeRepository,
    ActiveActorGate,
    EmployeeSkillRepository,
    TeamMembershipRepository,
    CapacityService,
    EmployeeService,
    EmployeeAdminService,
    MembershipAdminService,
    EmployeeResolver,
    EmployeeAdminResolver,
    TeamMembershipResolver,
    TeamMembershipAdminResolver,
    TeamMembersResolver,
  ],
  exports: [
    EmployeeService,
    CapacityService,
    EmployeeAdminService,
    MembershipAdminService,
    ActiveActorGate,
  ],
})
export class EmployeeModule {}
