import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('team')
@Unique('team_name_key', ['name'])
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'team_pkey' })
  id: string;

  /** citext: names are unique regardless of case. */
  @Column({ type: 'citext' })
  name: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  purpose: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
