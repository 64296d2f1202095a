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
import { TransferEntity } from '../ledger/transfer.entity.js';
import { SkillEntity } from '../skill/skill.entity.js';
import { TeamEntity } from '../team/team.entity.js';
import { IdeaEntity } from './idea.entity.js';

/** A skill an idea will need. */
@Entity('idea_skill')
@Index('idea_skill_skill_idx', ['skillId'])
export class IdeaSkillEntity {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid', primaryKeyConstraintName: 'idea_skill_pkey' })
  ideaId: string;

  @PrimaryColumn({ name: 'skill_id', type: 'uuid', primaryKeyConstraintName: 'idea_skill_pkey' })
  skillId: string;

  @ManyToOne(() => IdeaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'idea_skill_idea_id_fkey' })
  idea?: Relation<IdeaEntity>;

  @ManyToOne(() => SkillEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'skill_id', foreignKeyConstraintName: 'idea_skill_skill_id_fkey' })
  skill?: Relation<SkillEntity>;
}

/** One employee's endorsement of an idea (at most one each). */
@Entity('endorsement')
@Index('endorsement_employee_idx', ['employeeId'])
export class EndorsementEntity {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid', primaryKeyConstraintName: 'endorsement_pkey' })
  ideaId: string;

  @PrimaryColumn({
    name: 'employee_id',
    type: 'uuid',
    primaryKeyConstraintName: 'endorsement_pkey',
  })
  employeeId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => IdeaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'endorsement_idea_id_fkey' })
  idea?: Relation<IdeaEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'endorsement_employee_id_fkey' })
  employee?: Relation<EmployeeEntity>;
}

/** Credits a team lead committed from the team's account to an idea's escrow. */
@Entity('pledge')
@Check('pledge_amount_positive', 'amount > 0')
@Index('pledge_seq_key', ['seq'], { unique: true })
@Index('pledge_idea_idx', ['ideaId', 'seq'])
@Index('pledge_team_idx', ['teamId', 'seq'])
export class PledgeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pledge_pkey' })
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

  @Column({ name: 'idea_id', type: 'uuid' })
  ideaId: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @Column({ name: 'pledged_by_id', type: 'uuid' })
  pledgedById: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  @Column({ name: 'transfer_id', type: 'uuid' })
  transferId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => IdeaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'pledge_idea_id_fkey' })
  idea?: Relation<IdeaEntity>;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'pledge_team_id_fkey' })
  team?: Relation<TeamEntity>;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'pledged_by_id', foreignKeyConstraintName: 'pledge_pledged_by_id_fkey' })
  pledgedBy?: Relation<EmployeeEntity>;

  @ManyToOne(() => TransferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transfer_id', foreignKeyConstraintName: 'pledge_transfer_id_fkey' })
  transfer?: Relation<TransferEntity>;
}
