import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('skill')
@Unique('skill_normalized_name_key', ['normalizedName'])
export class SkillEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'skill_pkey' })
  id: string;

  /** As first written, with spaces tidied: "Phone Support". */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Lower case, single spaces: "phone support". Two spellings of one skill are one skill. */
  @Column({ name: 'normalized_name', type: 'varchar', length: 100 })
  normalizedName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
