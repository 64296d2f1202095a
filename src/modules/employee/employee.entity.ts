import { MAX_WEEKLY_CAPACITY_HOURS } from './employee-limits.js';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { TeamEntity } from '../team/team.entity.js';

@Entity('employee')
@Unique('employee_email_key', ['email'])
@Check(
  'employee_weekly_capacity_hours_check',
  `weekly_capacity_hours BETWEEN 0 AND ${MAX_WEEKLY_CAPACITY_HOURS}`,
)
// Invariant 3: committed hours (market engagements and initiative memberships) never pass
// the weekly capacity. Kept in the same transaction as every commitment, so concurrent
// commitments cannot overbook anyone.
@Check(
  'employee_capacity_check',
  'committed_hours_per_week >= 0 AND committed_hours_per_week <= weekly_capacity_hours',
)
@Index('employee_home_team_idx', ['homeTeamId'])
@Index('employee_name_idx', ['name', 'id'])
// Trigram GIN index for `employees(filter: { name })`, created by hand in the migration.
@Index('employee_name_trgm_idx', { synchronize: false })
export class EmployeeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'employee_pkey' })
  id: string;

  /** citext: one account per address whatever its case. */
  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  title: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ name: 'weekly_capacity_hours', type: 'smallint', default: 8 })
  weeklyCapacityHours: number;

  @Column({ name: 'committed_hours_per_week', type: 'smallint', default: 0 })
  committedHoursPerWeek: number;

  @Column({ name: 'home_team_id', type: 'uuid' })
  homeTeamId: string;

  @Column({ name: 'is_admin', type: 'boolean', default: false })
  isAdmin: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_team_id', foreignKeyConstraintName: 'employee_home_team_id_fkey' })
  homeTeam?: Relation<TeamEntity>;
}
