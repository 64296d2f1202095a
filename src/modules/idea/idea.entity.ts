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
import { InitiativeEntity } from '../initiative/initiative.entity.js';
import { AccountEntity } from '../ledger/account.entity.js';
import { TeamEntity } from '../team/team.entity.js';
import { IdeaStatus } from './idea.enums.js';

@Entity('idea')
@Check('idea_funding_goal_check', 'funding_goal > 0')
// Pledges past the goal are refused by this constraint, whatever the concurrency.
@Check('idea_pledged_within_goal', 'pledged_total BETWEEN 0 AND funding_goal')
@Check('idea_endorsement_count_check', 'endorsement_count >= 0')
// An idea is public once submitted: every status past DRAFT carries its submission time, but
// WITHDRAWN, which a draft can reach unsubmitted (and private).
@Check('idea_submitted_check', "submitted_at IS NOT NULL OR status IN ('DRAFT', 'WITHDRAWN')")
@Check('idea_pending_skills_check', 'submitted_at IS NULL OR cardinality(pending_skill_names) = 0')
@Index('idea_seq_key', ['seq'], { unique: true })
@Index('idea_status_idx', ['status', 'seq'])
@Index('idea_sponsor_idx', ['sponsorTeamId', 'seq'])
@Index('idea_proposer_idx', ['proposerId', 'seq'])
@Index('idea_endorsed_idx', ['endorsementCount', 'seq'])
@Index('idea_funded_idx', ['pledgedTotal', 'seq'])
@Index('idea_status_endorsed_idx', ['status', 'endorsementCount', 'seq'])
@Index('idea_status_funded_idx', ['status', 'pledgedTotal', 'seq'])
@Index('idea_created_idx', ['createdAt'])
@Index('idea_initiative_key', ['initiativeId'], {
  unique: true,
  where: 'initiative_id IS NOT NULL',
})
// Similar ideas: trigram similarity on titles and full-text search, created by hand in the migration.
@Index('idea_title_trgm_idx', { synchronize: false })
@Index('idea_search_idx', { synchronize: false })
export class IdeaEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'idea_pkey' })
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

  @Column({ name: 'proposer_id', type: 'uuid' })
  proposerId: string;

  @Column({ name: 'sponsor_team_id', type: 'uuid' })
  sponsorTeamId: string;

  @Column({ name: 'escrow_account_id', type: 'uuid' })
  escrowAccountId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 5000, default: '' })
  problem: string;

  @Column({ type: 'varchar', length: 5000, default: '' })
  proposal: string;

  @Column({ name: 'expected_outcomes', type: 'varchar', length: 5000, default: '' })
  expectedOutcomes: string;

  @Column({ name: 'funding_goal', type: 'bigint', transformer: bigintAsNumber })
  fundingGoal: number;

  @Column({ name: 'pledged_total', type: 'bigint', default: 0, transformer: bigintAsNumber })
  pledgedTotal: number;

  /** Skill names nobody had used when it was proposed: created only when it is submitted. */
  @Column({
    name: 'pending_skill_names',
    type: 'varchar',
    length: 100,
    array: true,
    default: () => "'{}'",
  })
  pendingSkillNames: string[];

  @Column({ name: 'hours_per_week_needed', type: 'smallint', nullable: true })
  hoursPerWeekNeeded: number | null;

  @Column({ name: 'endorsement_count', type: 'integer', default: 0 })
  endorsementCount: number;

  @Column({ type: 'enum', enum: IdeaStatus, enumName: 'idea_status', default: IdeaStatus.DRAFT })
  status: IdeaStatus;

  /** The initiative it became, once approved. */
  @Column({ name: 'initiative_id', type: 'uuid', nullable: true })
  initiativeId: string | null;

  @Column({ name: 'decision_reason', type: 'varchar', length: 2000, nullable: true })
  decisionReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'funded_at', type: 'timestamptz', nullable: true })
  fundedAt: Date | null;

  /** When it was approved, rejected or withdrawn. */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposer_id', foreignKeyConstraintName: 'idea_proposer_id_fkey' })
  proposer?: Relation<EmployeeEntity>;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sponsor_team_id', foreignKeyConstraintName: 'idea_sponsor_team_id_fkey' })
  sponsorTeam?: Relation<TeamEntity>;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'escrow_account_id',
    foreignKeyConstraintName: 'idea_escrow_account_id_fkey',
  })
  escrowAccount?: Relation<AccountEntity>;

  @ManyToOne(() => InitiativeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'initiative_id', foreignKeyConstraintName: 'idea_initiative_id_fkey' })
  initiative?: Relation<InitiativeEntity>;
}
