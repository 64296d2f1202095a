import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { SkillEntity } from '../skill/skill.entity.js';
import { BidEntity } from './bid.entity.js';

/** A skill a bidder offers for the need. */
@Entity('bid_skill')
@Index('bid_skill_skill_idx', ['skillId'])
export class BidSkillEntity {
  @PrimaryColumn({ name: 'bid_id', type: 'uuid', primaryKeyConstraintName: 'bid_skill_pkey' })
  bidId: string;

  @PrimaryColumn({ name: 'skill_id', type: 'uuid', primaryKeyConstraintName: 'bid_skill_pkey' })
  skillId: string;

  @ManyToOne(() => BidEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bid_id', foreignKeyConstraintName: 'bid_skill_bid_id_fkey' })
  bid?: Relation<BidEntity>;

  @ManyToOne(() => SkillEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'skill_id', foreignKeyConstraintName: 'bid_skill_skill_id_fkey' })
  skill?: Relation<SkillEntity>;
}
