import {
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

/**
 * One edit of an idea, a need, a comment, a milestone or an outcome metric: who, when, and
 * each changed field's value before and after. Written only through RevisionService, which
 * the owning modules call inside the unit of work of the edit.
 */
@Entity('revision')
@Index('revision_seq_key', ['seq'], { unique: true })
@Index('revision_subject_idx', ['subjectType', 'subjectId', 'seq'])
export class RevisionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'revision_pkey' })
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

  @Column({ name: 'subject_type', type: 'varchar', length: 50 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'editor_id', type: 'uuid' })
  editorId: string;

  /** { field: { from, to } } */
  @Column({ type: 'jsonb' })
  changes: Record<string, { from: unknown; to: unknown }>;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at: Date;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'editor_id', foreignKeyConstraintName: 'revision_editor_id_fkey' })
  editor?: Relation<EmployeeEntity>;
}
