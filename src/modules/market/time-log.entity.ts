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
import { TransferEntity } from '../ledger/transfer.entity.js';
import { TeamEntity } from '../team/team.entity.js';
import { EngagementEntity } from './engagement.entity.js';
import { TimeLogStatus } from './market.enums.js';
import { TimesheetDisputeEntity } from './timesheet-dispute.entity.js';
import { TimesheetEntity } from './timesheet.entity.js';

/**
 * Hours worked on one day of an engagement, in the week's timesheet, and how the buyer's
 * review settled them: paid to the worker's home team (APPROVED) or refunded (REFUNDED), each
 * by exactly one transfer.
 */
@Entity('time_log')
@Check('time_log_hours_check', 'hours BETWEEN 1 AND 168')
@Check(
  'time_log_settled_check',
  `(status IN ('APPROVED', 'REFUNDED')) = (transfer_id IS NOT NULL AND settled_at IS NOT NULL)`,
)
@Check('time_log_disputed_check', `status <> 'DISPUTED' OR dispute_id IS NOT NULL`)
@Index('time_log_timesheet_idx', ['timesheetId'])
@Index('time_log_dispute_idx', ['disputeId'], { where: 'dispute_id IS NOT NULL' })
@Index('time_log_seq_key', ['seq'], { unique: true })
@Index('time_log_engagement_idx', ['engagementId', 'seq'])
// The hours under review (few at any time): the P&L's hours bought and not yet settled.
@Index('time_log_review_idx', ['workDate'], { where: `status IN ('PENDING', 'DISPUTED')` })
export class TimeLogEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'time_log_pkey' })
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

  @Column({ name: 'engagement_id', type: 'uuid' })
  engagementId: string;

  @Column({ type: 'smallint' })
  hours: number;

  @Column({ name: 'work_date', type: 'date' })
  workDate: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  note: string;

  @Column({ name: 'timesheet_id', type: 'uuid' })
  timesheetId: string;

  @Column({
    type: 'enum',
    enum: TimeLogStatus,
    enumName: 'time_log_status',
    default: TimeLogStatus.PENDING,
  })
  status: TimeLogStatus;

  /** The worker's home team when the hours were logged: who is paid for them. */
  @Column({ name: 'payee_team_id', type: 'uuid' })
  payeeTeamId: string;

  /** The payment (APPROVED) or refund (REFUNDED) that settled these hours; none before. */
  @Column({ name: 'transfer_id', type: 'uuid', nullable: true })
  transferId: string | null;

  @Column({ name: 'dispute_id', type: 'uuid', nullable: true })
  disputeId: string | null;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => EngagementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'engagement_id', foreignKeyConstraintName: 'time_log_engagement_id_fkey' })
  engagement?: Relation<EngagementEntity>;

  @ManyToOne(() => TimesheetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'timesheet_id', foreignKeyConstraintName: 'time_log_timesheet_id_fkey' })
  timesheet?: Relation<TimesheetEntity>;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payee_team_id', foreignKeyConstraintName: 'time_log_payee_team_id_fkey' })
  payeeTeam?: Relation<TeamEntity>;

  @ManyToOne(() => TimesheetDisputeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dispute_id', foreignKeyConstraintName: 'time_log_dispute_id_fkey' })
  dispute?: Relation<TimesheetDisputeEntity>;

  @ManyToOne(() => TransferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transfer_id', foreignKeyConstraintName: 'time_log_transfer_id_fkey' })
  transfer?: Relation<TransferEntity>;
}
