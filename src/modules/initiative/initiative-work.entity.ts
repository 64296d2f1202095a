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
} from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';
import { EmployeeEntity } from '../employee/employee.entity.js';
import { InitiativeEntity } from './initiative.entity.js';
import { MetricDirection } from './initiative.enums.js';

const identity = {
  type: 'bigint',
  generated: 'identity',
  generatedIdentity: 'ALWAYS',
  insert: false,
  update: false,
  transformer: bigintAsNumber,
} as const;

/** A person giving an initiative hours each week. Leaving keeps the row (left_at) for history. */
@Entity('initiative_member')
@Check('initiative_member_hours_check', 'hours_per_week BETWEEN 0 AND 80')
@Index('initiative_member_active_key', ['initiativeId', 'employeeId'], {
  unique: true,
  where: 'left_at IS NULL',
})
@Index('initiative_member_employee_idx', ['employeeId'], { where: 'left_at IS NULL' })
@Index('initiative_member_initiative_idx', ['initiativeId'])
export class InitiativeMemberEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'initiative_member_pkey' })
  id: string;

  @Column({ name: 'initiative_id', type: 'uuid' })
  initiativeId: string;

  @Column({ name: 'employee_id', type: 'uuid' })
  employeeId: string;

  @Column({ name: 'hours_per_week', type: 'smallint' })
  hoursPerWeek: number;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt: Date;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt: Date | null;

  @ManyToOne(() => InitiativeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'initiative_id',
    foreignKeyConstraintName: 'initiative_member_initiative_id_fkey',
  })
  initiative?: Relation<InitiativeEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'employee_id',
    foreignKeyConstraintName: 'initiative_member_employee_id_fkey',
  })
  employee?: Relation<EmployeeEntity>;
}

@Entity('milestone')
@Index('milestone_seq_key', ['seq'], { unique: true })
@Index('milestone_initiative_idx', ['initiativeId', 'seq'])
export class MilestoneEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'milestone_pkey' })
  id: string;

  @Column(identity)
  seq: number;

  @Column({ name: 'initiative_id', type: 'uuid' })
  initiativeId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'completed_by_id', type: 'uuid', nullable: true })
  completedById: string | null;

  /** Who may complete it besides the owner: the owner or a current member; none by default. */
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => InitiativeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'initiative_id', foreignKeyConstraintName: 'milestone_initiative_id_fkey' })
  initiative?: Relation<InitiativeEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'completed_by_id',
    foreignKeyConstraintName: 'milestone_completed_by_id_fkey',
  })
  completedBy?: Relation<EmployeeEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'milestone_assignee_id_fkey' })
  assignee?: Relation<EmployeeEntity>;
}

/** What an initiative promises to move, from a baseline towards a target. */
@Entity('outcome_metric')
@Check('outcome_metric_target_check', 'target <> baseline')
@Index('outcome_metric_seq_key', ['seq'], { unique: true })
@Index('outcome_metric_name_key', ['initiativeId', 'name'], { unique: true })
export class OutcomeMetricEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'outcome_metric_pkey' })
  id: string;

  @Column(identity)
  seq: number;

  @Column({ name: 'initiative_id', type: 'uuid' })
  initiativeId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 30, default: '' })
  unit: string;

  @Column({ type: 'double precision' })
  baseline: number;

  @Column({ type: 'double precision' })
  target: number;

  @Column({ type: 'enum', enum: MetricDirection, enumName: 'metric_direction' })
  direction: MetricDirection;

  /** The most recent measurement (by `at`), kept with each measurement for dashboards. */
  @Column({ name: 'latest_value', type: 'double precision', nullable: true })
  latestValue: number | null;

  @Column({ name: 'latest_at', type: 'timestamptz', nullable: true })
  latestAt: Date | null;

  /** Who records its readings besides the owner: the owner (by default) or a member. */
  @Column({ name: 'reporter_id', type: 'uuid' })
  reporterId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => InitiativeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'initiative_id',
    foreignKeyConstraintName: 'outcome_metric_initiative_id_fkey',
  })
  initiative?: Relation<InitiativeEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'outcome_metric_reporter_id_fkey' })
  reporter?: Relation<EmployeeEntity>;
}

/**
 * One reading of an outcome metric. Readings are history: a correction is a new reading that
 * supersedes this one (a trigger refuses any other change, and every delete).
 */
@Entity('measurement')
@Index('measurement_metric_idx', ['metricId', 'at', 'id'])
@Index('measurement_superseded_by_key', ['supersededById'], { unique: true })
@Check(
  'measurement_correction_check',
  '(superseded_by_id IS NULL) = (correction_reason IS NULL) AND superseded_by_id <> id',
)
export class MeasurementEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'measurement_pkey' })
  id: string;

  @Column({ name: 'metric_id', type: 'uuid' })
  metricId: string;

  @Column({ type: 'double precision' })
  value: number;

  /** When the value was true (not when it was typed in). */
  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'recorded_by_id', type: 'uuid' })
  recordedById: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The correction that replaced this reading; null while it is current. */
  @Column({ name: 'superseded_by_id', type: 'uuid', nullable: true })
  supersededById: string | null;

  /** Why it was corrected (set with `superseded_by_id`). */
  @Column({ name: 'correction_reason', type: 'varchar', length: 500, nullable: true })
  correctionReason: string | null;

  @ManyToOne(() => OutcomeMetricEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'metric_id', foreignKeyConstraintName: 'measurement_metric_id_fkey' })
  metric?: Relation<OutcomeMetricEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'recorded_by_id',
    foreignKeyConstraintName: 'measurement_recorded_by_id_fkey',
  })
  recordedBy?: Relation<EmployeeEntity>;

  @ManyToOne(() => MeasurementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'superseded_by_id',
    foreignKeyConstraintName: 'measurement_superseded_by_id_fkey',
  })
  supersededBy?: Relation<MeasurementEntity>;
}
