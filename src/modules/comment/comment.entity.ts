import {
  Check,
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
import { CommentSubject } from './comment.enums.js';

/** A comment on an idea, a need or an initiative. */
@Entity('comment')
@Check('comment_hidden_check', '(hidden_at IS NULL) = (hidden_reason IS NULL)')
@Index('comment_seq_key', ['seq'], { unique: true })
@Index('comment_subject_idx', ['subjectType', 'subjectId', 'seq'])
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'comment_pkey' })
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

  @Column({ name: 'subject_type', type: 'enum', enum: CommentSubject, enumName: 'comment_subject' })
  subjectType: CommentSubject;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ type: 'varchar', length: 5000 })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When its author last edited it (each edit keeps a revision). */
  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  /** When its author deleted it: the row stays (revisions and the audit log name it). */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** When an admin hid it, and why (its body then shows to admins only). */
  @Column({ name: 'hidden_at', type: 'timestamptz', nullable: true })
  hiddenAt: Date | null;

  @Column({ name: 'hidden_reason', type: 'varchar', length: 2000, nullable: true })
  hiddenReason: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'comment_author_id_fkey' })
  author?: Relation<EmployeeEntity>;
}
