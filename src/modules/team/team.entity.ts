import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('team')
@Unique('team_name_key', ['name'])
@Unique('team_external_id_key', ['externalId'])
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

  /** Set by archiveTeam: the team takes no new needs, bids or members. */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  /** The identity provider's id for the group this team is provisioned from (SCIM `externalId`). */
  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId: string | null;
}
