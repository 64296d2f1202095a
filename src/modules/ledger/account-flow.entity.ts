import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';
import { AccountEntity } from './account.entity.js';
import { TransferKind } from './ledger.enums.js';

/**
 * Credits in and out of each account, per week (Monday, UTC) and kind of transfer: a summary
 * of the transfer table kept in the same statement as each transfer, so P&L and series over
 * any range of weeks read a few rows per account instead of every transfer. Adds no locking:
 * only transactions already holding the account's row lock write its rows.
 */
@Entity('account_flow')
@Index('account_flow_week_idx', ['week'])
export class AccountFlowEntity {
  @PrimaryColumn({
    name: 'account_id',
    type: 'uuid',
    primaryKeyConstraintName: 'account_flow_pkey',
  })
  accountId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'account_flow_pkey' })
  week: string;

  @PrimaryColumn({
    type: 'enum',
    enum: TransferKind,
    enumName: 'transfer_kind',
    primaryKeyConstraintName: 'account_flow_pkey',
  })
  kind: TransferKind;

  @Column({ name: 'amount_in', type: 'bigint', default: 0, transformer: bigintAsNumber })
  amountIn: number;

  @Column({ name: 'amount_out', type: 'bigint', default: 0, transformer: bigintAsNumber })
  amountOut: number;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'account_flow_account_id_fkey' })
  account?: Relation<AccountEntity>;
}
