import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';

/**
 * Append-only record of a state change: who did what to which subject, with what data.
 * PostgreSQL refuses every UPDATE, DELETE and TRUNCATE of the table, and any insert that
 * chooses its own `seq`, and stamps `at` itself (triggers of migrations AuditLogAppendOnly and
 * AuditLogInsertsStamped, which TypeORM does not model): insert and read only.
 */
@Entity('event')
@Index('event_seq_key', ['seq'], { unique: true })
@Index('event_at_idx', ['at'])
@Index('event_actor_idx', ['actorId', 'seq'])
@Index('event_subject_idx', ['subjectId', 'seq'])
@Index('event_subject_type_idx', ['subjectType', 'seq'])
@Index('event_action_idx', ['action', 'seq'])
export class EventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'event_pkey' })
  id: string;

  /** Append order: the log lists events by it, newest first. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
    transformer: bigintAsNumber,
  })
  seq: number;

  /** None for work the system does itself, such as seeding the demo organisation. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** `<domain>.<verb>`, e.g. `team.create`, `ledger.allocate`. */
  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 50 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
