import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { EmployeeEntity } from './employee.entity.js';
import { TeamRole } from '../team/team-role.js';
import { TeamEntity } from '../team/team.entity.js';

@Entity('team_membership')
@Index('team_membership_employee_idx', ['employeeId'])
export class TeamMembershipEntity {
  @PrimaryColumn({
    name: 'team_id',
    type: 'uuid',
    primaryKeyConstraintName: 'team_membership_pkey',
  })
  teamId: string;

  @PrimaryColumn({
    name: 'employee_id',
    type: 'uuid',
    primaryKeyConstraintName: 'team_membership_pkey',
  })
  employeeId: string;

  @Column({ type: 'enum', enum: TeamRole, enumName: 'team_role', default: TeamRole.MEMBER })
  role: TeamRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'team_membership_team_id_fkey' })
  team?: Relation<TeamEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'team_membership_employee_id_fkey' })
  employee?: Relation<EmployeeEntity>;
}
