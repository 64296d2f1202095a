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
import { BidEntity } from './bid.entity.js';
import { EngagementStatus } from './market.enums.js';
import { NeedEntity } from './need.entity.js';

/**
 * An accepted bid: the bidder works `hoursPerWeek` for the need's `weeks` at the bid's rate,
 * paid from the escrow for the hours the buyer approves. Terms are copied from the bid at
 * acceptance.
 */
@Entity('engagement')
@Check('engagement_logged_hours_check', 'logged_hours BETWEEN 0 AND total_hours')
@Index('engagement_seq_key', ['seq'], { unique: true })
@Index('engagement_bid_key', ['bidId'], { unique: true })
@Index('engagement_need_idx', ['needId'])
@Index('engagement_employee_idx', ['employeeId', 'seq'])
// Past delivery, for matching: completed engagements per employee.
@Index('engagement_completed_idx', ['employeeId'], { where: `status = 'COMPLETED'` })
export class EngagementEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'engagement_pkey' })
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

  @Column({ name: 'bid_id', type: 'uuid' })
  bidId: string;

  @Column({ name: 'need_id', type: 'uuid' })
  needId: string;

  @Column({ name: 'employee_id', type: 'uuid' })
  employeeId: string;

  @Column({ name: 'hours_per_week', type: 'smallint' })
  hoursPerWeek: number;

  @Column({ type: 'smallint' })
  weeks: number;

  @Column({ name: 'rate_per_hour', type: 'integer' })
  ratePerHour: number;

  /** hoursPerWeek × weeks: the most that can ever be logged and paid. */
  @Column({ name: 'total_hours', type: 'integer' })
  totalHours: number;

  @Column({ name: 'logged_hours', type: 'integer', default: 0 })
  loggedHours: number;

  /** The Monday of the ISO week it was accepted in: it runs `weeks` whole weeks from there. */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({
    type: 'enum',
    enum: EngagementStatus,
    enumName: 'engagement_status',
    default: EngagementStatus.ACTIVE,
  })
  status: EngagementStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @ManyToOne(() => BidEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bid_id', foreignKeyConstraintName: 'engagement_bid_id_fkey' })
  bid?: Relation<BidEntity>;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id', foreignKeyConstraintName: 'engagement_need_id_fkey' })
  need?: Relation<NeedEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'engagement_employee_id_fkey' })
  employee?: Relation<EmployeeEntity>;
}
