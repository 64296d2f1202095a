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
import { EmployeeEntity } from '../employee/employee.entity.js';
import { bigintAsNumber } from '../../database/column-types.js';

/**
 * One line of an employee's inbox: written in the transaction of the change it tells about (an
 * audited event), so none is lost and none tells of a change that rolled back.
 */
@Entity('notification')
@Index('notification_inbox_idx', ['recipientId', 'seq'])
// Unread counts and "unread only" pages read only these.
@Index('notification_unread_idx', ['recipientId'], { where: 'read_at IS NULL' })
@Check('notification_message_check', `length(message) > 0`)
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'notification_pkey' })
  id: string;

  /** Write order: an inbox lists its notifications by it, newest first. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
    transformer: bigintAsNumber,
  })
  seq: number;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** What it is about, for the client to open: Need, Engagement, Idea, Initiative. */
  @Column({ name: 'subject_type', type: 'varchar', length: 30 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** Who caused it; NULL for the system's own work (automatic approvals). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** The text shown, written when it happened (names as they were then). */
  @Column({ type: 'varchar', length: 500 })
  message: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;

  /** The e-mail digest that carried it (its kind is one the recipient wants by e-mail). */
  @Column({ name: 'digest_id', type: 'uuid', nullable: true })
  digestId: string | null;

  /** When it was e-mailed on its own (its kind is one the recipient wants e-mailed at once). */
  @Column({ name: 'emailed_at', type: 'timestamptz', nullable: true })
  emailedAt: Date | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_id', foreignKeyConstraintName: 'notification_recipient_id_fkey' })
  recipient?: Relation<EmployeeEntity>;
}
