import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The first outcome of a mutation called with an idempotency key, so that a retry returns it
 * instead of acting twice. Keys are scoped to the caller, like an API key's namespace.
 */
@Entity('idempotency_key')
export class IdempotencyKeyEntity {
  @PrimaryColumn({
    name: 'actor_id',
    type: 'uuid',
    primaryKeyConstraintName: 'idempotency_key_pkey',
  })
  actorId: string;

  @PrimaryColumn({ type: 'varchar', length: 200, primaryKeyConstraintName: 'idempotency_key_pkey' })
  key: string;

  @Column({ type: 'varchar', length: 100 })
  operation: string;

  /** SHA-256 of the canonical JSON of the arguments: the same key with other arguments is a conflict. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'jsonb' })
  response: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
