import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { EmployeeEntity } from '../employee/employee.entity.js';

/**
 * A bearer token an identity provider uses on `/scim/v2`. Only its SHA-256 is kept (the token
 * is 256 random bits, shown once): a leaked table opens nothing. Revoked tokens stay, for audit.
 */
@Entity('scim_token')
@Unique('scim_token_hash_key', ['tokenHash'])
export class ScimTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'scim_token_pkey' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_by_id', type: 'uuid' })
  createdById: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'scim_token_created_by_id_fkey' })
  createdBy?: Relation<EmployeeEntity>;
}
