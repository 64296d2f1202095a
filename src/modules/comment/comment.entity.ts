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
import { CommentSubject } from './comment.enums.js';

/** A comment on an idea, a need or an initiative. */
@Entity('comment')
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

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'comment_author_id_fkey' })
  author?: Relation<EmployeeEntity>;
}
