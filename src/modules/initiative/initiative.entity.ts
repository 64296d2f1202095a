import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';
import { EmployeeEntity } from '../employee/employee.entity.js';
import { AccountEntity } from '../ledger/account.entity.js';
import { TeamEntity } from '../team/team.entity.js';
import { InitiativeStatus } from './initiative.enums.js';

/** An approved idea at work, with its own budget account. */
@Entity('initiative')
@Check('initiative_budget_check', 'budget > 0')
@Index('initiative_seq_key', ['seq'], { unique: true })
@Index('initiative_status_idx', ['status', 'seq'])
@Index('initiative_sponsor_idx', ['sponsorTeamId', 'seq'])
@Index('initiative_owner_idx', ['ownerId'])
@Index('initiative_created_idx', ['createdAt'])
export class InitiativeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'initiative_pkey' })
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

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ name: 'sponsor_team_id', type: 'uuid' })
  sponsorTeamId: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 5000, default: '' })
  summary: string;

  /** The credits it was funded with (its idea's goal). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  budget: number;

  @Column({
    type: 'enum',
    enum: InitiativeStatus,
    enumName: 'initiative_status',
    default: InitiativeStatus.ACTIVE,
  })
  status: InitiativeStatus;

  /**
   * Credits put into its needs' escrow, net of escrow returned: kept with every acceptance and
   * return, in the same transaction, for dashboards sorting thousands of initiatives by spend.
   */
  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  spent: number;

  /** Mean progress (0–100) of its metrics that have a measurement; kept with each measurement. */
  @Column({ name: 'outcome_score', type: 'double precision', nullable: true })
  outcomeScore: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'finish_note', type: 'varchar', length: 2000, nullable: true })
  finishNote: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'initiative_owner_id_fkey' })
  owner?: Relation<EmployeeEntity>;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'sponsor_team_id',
    foreignKeyConstraintName: 'initiative_sponsor_team_id_fkey',
  })
  sponsorTeam?: Relation<TeamEntity>;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'initiative_account_id_fkey' })
  account?: Relation<AccountEntity>;
}

/** A team that funded the initiative, and how much: unspent credits return in these proportions. */
@Entity('initiative_funder')
@Check('initiative_funder_amount_check', 'amount > 0')
@Index('initiative_funder_team_idx', ['teamId'])
export class InitiativeFunderEntity {
  @PrimaryColumn({
    name: 'initiative_id',
    type: 'uuid',
    primaryKeyConstraintName: 'initiative_funder_pkey',
  })
  initiativeId: string;

  @PrimaryColumn({
    name: 'team_id',
    type: 'uuid',
    primaryKeyConstraintName: 'initiative_funder_pkey',
  })
  teamId: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  @ManyToOne(() => InitiativeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'initiative_id',
    foreignKeyConstraintName: 'initiative_funder_initiative_id_fkey',
  })
  initiative?: Relation<InitiativeEntity>;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'initiative_funder_team_id_fkey' })
  team?: Relation<TeamEntity>;
}
