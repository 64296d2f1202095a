import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';
import { AccountKind } from './ledger.enums.js';

/**
 * A ledger account. `balance` is the sum of the account's transfers, kept in the same
 * transaction as each transfer so that the CHECK below can refuse an overdraft atomically:
 * two concurrent debits cannot both pass it, whatever the application code did.
 */
@Entity('account')
@Check('account_balance_non_negative', `kind = 'ISSUANCE' OR balance >= 0`)
@Check('account_owner_present', `(kind = 'ISSUANCE') = (owner_id IS NULL)`)
@Index('account_owner_key', ['kind', 'ownerId'], { unique: true })
@Index('account_single_issuance_key', ['kind'], { unique: true, where: `kind = 'ISSUANCE'` })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'account_pkey' })
  id: string;

  @Column({ type: 'enum', enum: AccountKind, enumName: 'account_kind' })
  kind: AccountKind;

  /** The team, idea, need or initiative whose credits these are; none for ISSUANCE. */
  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId: string | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  balance: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
