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
 * One daily e-mail digest: made once per employee and day (the unique key: however many
 * instances plan digests, there is one), then sent by a job, which marks it SENT.
 */
@Entity('notification_digest')
@Unique('notification_digest_employee_day_key', ['employeeId', 'day'])
export class NotificationDigestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'notification_digest_pkey' })
  id: string;

  @Column({ name: 'employee_id', type: 'uuid' })
  employeeId: string;

  /** The UTC day it is for. */
  @Column({ type: 'date' })
  day: string;

  /** PENDING until the relay accepted it (SENT), or SKIPPED when nothing was left to send. */
  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'employee_id',
    foreignKeyConstraintName: 'notification_digest_employee_id_fkey',
  })
  employee?: Relation<EmployeeEntity>;
}
