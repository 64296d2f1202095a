import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { SkillEntity } from '../skill/skill.entity.js';
import { NeedEntity } from './need.entity.js';

/** A skill a need requires, at a minimum level. */
@Entity('need_skill')
@Check('need_skill_min_level_check', 'min_level BETWEEN 1 AND 5')
@Index('need_skill_skill_idx', ['skillId'])
export class NeedSkillEntity {
  @PrimaryColumn({ name: 'need_id', type: 'uuid', primaryKeyConstraintName: 'need_skill_pkey' })
  needId: string;

  @PrimaryColumn({ name: 'skill_id', type: 'uuid', primaryKeyConstraintName: 'need_skill_pkey' })
  skillId: string;

  @Column({ name: 'min_level', type: 'smallint' })
  minLevel: number;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id', foreignKeyConstraintName: 'need_skill_need_id_fkey' })
  need?: Relation<NeedEntity>;

  @ManyToOne(() => SkillEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'skill_id', foreignKeyConstraintName: 'need_skill_skill_id_fkey' })
  skill?: Relation<SkillEntity>;
}
