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
import { EngagementEntity } from './engagement.entity.js';
import { DisputeStatus } from './market.enums.js';
import { TimesheetEntity } from './timesheet.entity.js';

/**
 * Hours of one week that the buyer disputed, and how the dispute ended. While a dispute is
 * OPEN or CONTESTED its engagement is paused: no more hours are logged on it.
 */
@Entity('timesheet_dispute')
@Check('timesheet_dispute_hours_check', 'hours > 0')
@Check(
  'timesheet_dispute_decided_check',
  `(status IN ('PAID', 'REFUNDED')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL)`,
)
@Index('timesheet_dispute_seq_key', ['seq'], { unique: true })
@Index('timesheet_dispute_engagement_idx', ['engagementId'])
@Index('timesheet_dispute_unresolved_idx', ['seq'], { where: `status IN ('OPEN', 'CONTESTED')` })
export class TimesheetDisputeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'timesheet_dispute_pkey' })
  id: string;

  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
    transformer: bigintAsNumber,
  })
  seq: number;

  @Column({ name: 'timesheet_id', type: 'uuid' })
  timesheetId: string;

  @Column({ name: 'engagement_id', type: 'uuid' })
  engagementId: string;

  @Column({ type: 'smallint' })
  hours: number;

  @Column({
    type: 'enum',
    enum: DisputeStatus,
    enumName: 'dispute_status',
    default: DisputeStatus.OPEN,
  })
  status: DisputeStatus;

  /** The buyer's reason. */
  @Column({ type: 'varchar', length: 2000 })
  reason: string;

  @Column({ name: 'opened_by', type: 'uuid' })
  openedBy: string;

  @CreateDateColumn({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  /** The worker's answer when contesting. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  response: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** The admin who decided a contested dispute, and why. */
  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_note', type: 'varchar', length: 2000, nullable: true })
  decisionNote: string | null;

  @ManyToOne(() => TimesheetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'timesheet_id',
    foreignKeyConstraintName: 'timesheet_dispute_timesheet_id_fkey',
  })
  timesheet?: Relation<TimesheetEntity>;

  @ManyToOne(() => EngagementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'engagement_id',
    foreignKeyConstraintName: 'timesheet_dispute_engagement_id_fkey',
  })
  engagement?: Relation<EngagementEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'opened_by', foreignKeyConstraintName: 'timesheet_dispute_opened_by_fkey' })
  opener?: Relation<EmployeeEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by', foreignKeyConstraintName: 'timesheet_dispute_decided_by_fkey' })
  decider?: Relation<EmployeeEntity>;
}
