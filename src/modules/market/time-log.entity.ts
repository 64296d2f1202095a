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
import { EngagementEntity } from './engagement.entity.js';

/** Hours worked on an engagement, and the payment they earned the worker's home team. */
@Entity('time_log')
@Check('time_log_hours_check', 'hours BETWEEN 1 AND 168')
@Index('time_log_seq_key', ['seq'], { unique: true })
@Index('time_log_engagement_idx', ['engagementId', 'seq'])
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

  @Column({ name: 'transfer_id', type: 'uuid' })
  transferId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => EngagementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'engagement_id', foreignKeyConstraintName: 'time_log_engagement_id_fkey' })
  engagement?: Relation<EngagementEntity>;

  @ManyToOne(() => TransferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transfer_id', foreignKeyConstraintName: 'time_log_transfer_id_fkey' })
  transfer?: Relation<TransferEntity>;
}
