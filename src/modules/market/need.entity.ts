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
import { AccountEntity } from '../ledger/account.entity.js';
import { BuyerKind, NeedStatus } from './market.enums.js';

/** Work a team (or initiative) wants done, paid from its account through the need's escrow. */
@Entity('need')
@Check('need_hours_per_week_check', 'hours_per_week BETWEEN 1 AND 80')
@Check('need_weeks_check', 'weeks BETWEEN 1 AND 104')
@Check('need_rate_per_hour_check', 'rate_per_hour > 0')
// Invariant 4: accepted hours never exceed what the need asked for.
@Check('need_accepted_hours_check', 'accepted_hours_per_week BETWEEN 0 AND hours_per_week')
@Index('need_seq_key', ['seq'], { unique: true })
@Index('need_status_idx', ['status', 'seq'])
@Index('need_buyer_idx', ['buyerId', 'seq'])
// Full-text search over title and description, created by hand in the migration.
@Index('need_search_idx', { synchronize: false })
export class NeedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'need_pkey' })
  id: string;

  /** Posting order: lists show the newest first. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
    transformer: bigintAsNumber,
  })
  seq: number;

  @Column({ name: 'buyer_kind', type: 'enum', enum: BuyerKind, enumName: 'need_buyer_kind' })
  buyerKind: BuyerKind;

  /** The team or initiative that pays. */
  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId: string;

  @Column({ name: 'buyer_account_id', type: 'uuid' })
  buyerAccountId: string;

  @Column({ name: 'escrow_account_id', type: 'uuid' })
  escrowAccountId: string;

  @Column({ name: 'posted_by_id', type: 'uuid' })
  postedById: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 5000, default: '' })
  description: string;

  @Column({ name: 'hours_per_week', type: 'smallint' })
  hoursPerWeek: number;

  @Column({ type: 'smallint' })
  weeks: number;

  @Column({ name: 'rate_per_hour', type: 'integer' })
  ratePerHour: number;

  @Column({ name: 'accepted_hours_per_week', type: 'smallint', default: 0 })
  acceptedHoursPerWeek: number;

  @Column({ type: 'enum', enum: NeedStatus, enumName: 'need_status', default: NeedStatus.OPEN })
  status: NeedStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'filled_at', type: 'timestamptz', nullable: true })
  filledAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'buyer_account_id', foreignKeyConstraintName: 'need_buyer_account_id_fkey' })
  buyerAccount?: Relation<AccountEntity>;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'escrow_account_id',
    foreignKeyConstraintName: 'need_escrow_account_id_fkey',
  })
  escrowAccount?: Relation<AccountEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'posted_by_id', foreignKeyConstraintName: 'need_posted_by_id_fkey' })
  postedBy?: Relation<EmployeeEntity>;
}
