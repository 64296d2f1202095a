import {
  Column,
  CreateDateColumn,
  Check,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';
import { EmployeeEntity } from '../employee/employee.entity.js';
import { BidStatus } from './market.enums.js';
import { NeedEntity } from './need.entity.js';

/** An employee's offer of hours on a need. */
@Entity('bid')
@Check('bid_hours_per_week_check', 'hours_per_week BETWEEN 1 AND 80')
@Check('bid_rate_per_hour_check', 'rate_per_hour > 0')
@Index('bid_seq_key', ['seq'], { unique: true })
@Index('bid_need_idx', ['needId', 'seq'])
@Index('bid_bidder_idx', ['bidderId', 'seq'])
// One live bid (pending or accepted) per employee per need.
@Index('bid_one_live_per_bidder_key', ['needId', 'bidderId'], {
  unique: true,
  where: `status IN ('PENDING', 'ACCEPTED')`,
})
export class BidEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'bid_pkey' })
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

  @Column({ name: 'need_id', type: 'uuid' })
  needId: string;

  @Column({ name: 'bidder_id', type: 'uuid' })
  bidderId: string;

  @Column({ name: 'hours_per_week', type: 'smallint' })
  hoursPerWeek: number;

  @Column({ name: 'rate_per_hour', type: 'integer' })
  ratePerHour: number;

  @Column({ type: 'varchar', length: 2000, default: '' })
  message: string;

  @Column({ type: 'enum', enum: BidStatus, enumName: 'bid_status', default: BidStatus.PENDING })
  status: BidStatus;

  /** Why it was rejected (by the lead, or because the need filled or closed). */
  @Column({ name: 'decision_note', type: 'varchar', length: 500, nullable: true })
  decisionNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id', foreignKeyConstraintName: 'bid_need_id_fkey' })
  need?: Relation<NeedEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bidder_id', foreignKeyConstraintName: 'bid_bidder_id_fkey' })
  bidder?: Relation<EmployeeEntity>;
}
