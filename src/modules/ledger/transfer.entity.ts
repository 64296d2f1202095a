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
import { AccountEntity } from './account.entity.js';
import { TransferKind } from './ledger.enums.js';

/** One double-entry movement of credits; never updated or deleted. */
@Entity('transfer')
@Check('transfer_amount_positive', 'amount > 0')
@Check('transfer_distinct_accounts', 'from_account_id <> to_account_id')
@Index('transfer_seq_key', ['seq'], { unique: true })
@Index('transfer_from_account_idx', ['fromAccountId', 'seq'])
@Index('transfer_to_account_idx', ['toAccountId', 'seq'])
export class TransferEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'transfer_pkey' })
  id: string;

  /** Ledger order: statements list transfers by it, newest first. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
    transformer: bigintAsNumber,
  })
  seq: number;

  @Column({ name: 'from_account_id', type: 'uuid' })
  fromAccountId: string;

  @Column({ name: 'to_account_id', type: 'uuid' })
  toAccountId: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  @Column({ type: 'enum', enum: TransferKind, enumName: 'transfer_kind' })
  kind: TransferKind;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'from_account_id',
    foreignKeyConstraintName: 'transfer_from_account_id_fkey',
  })
  fromAccount?: Relation<AccountEntity>;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_account_id', foreignKeyConstraintName: 'transfer_to_account_id_fkey' })
  toAccount?: Relation<AccountEntity>;
}
