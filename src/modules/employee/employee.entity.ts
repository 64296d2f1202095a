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
@Unique('employee_user_name_key', ['userName'])
@Unique('employee_external_id_key', ['externalId'])
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

  /** NULL for people provisioned from a directory (SCIM, import): they sign in through SSO. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  /**
   * The directory's sign-in name (SCIM `userName`, often the UPN) when it is not the e-mail
   * address; NULL: the e-mail is the user name. citext: unique whatever its case.
   */
  @Column({ name: 'user_name', type: 'citext', nullable: true })
  userName: string | null;

  /** The identity provider's own id for the person (SCIM `externalId`). */
  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId: string | null;

  @Column({ name: 'weekly_capacity_hours', type: 'smallint', default: 8 })
  weeklyCapacityHours: number;

  @Column({ name: 'committed_hours_per_week', type: 'smallint', default: 0 })
  committedHoursPerWeek: number;

  @Column({ name: 'home_team_id', type: 'uuid' })
  homeTeamId: string;

  @Column({ name: 'is_admin', type: 'boolean', default: false })
  isAdmin: boolean;

  /**
   * Every bearer token carries the version it was issued under and is refused once this has
   * moved on: a password change, a role change and signOutEverywhere add one.
   */
  @Column({ name: 'session_version', type: 'integer', default: 0 })
  sessionVersion: number;

  /** Set when an admin deactivates a leaver: no sign-in, no token works (NULL: active). */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_team_id', foreignKeyConstraintName: 'employee_home_team_id_fkey' })
  homeTeam?: Relation<TeamEntity>;
}
