import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { EmployeeEntity } from '../employee/employee.entity.js';

/** How an employee wants one kind of notification; no row: the default (the inbox). */
@Entity('notification_preference')
export class NotificationPreferenceEntity {
  @PrimaryColumn({
    name: 'employee_id',
    type: 'uuid',
    primaryKeyConstraintName: 'notification_preference_pkey',
  })
  employeeId: string;

  @PrimaryColumn({
    type: 'varchar',
    length: 40,
    primaryKeyConstraintName: 'notification_preference_pkey',
  })
  kind: string;

  /**
   * INBOX, EMAIL_DIGEST (the inbox and the daily e-mail digest), EMAIL_NOW (the inbox and an
   * e-mail at once) or OFF.
   */
  @Column({ type: 'varchar', length: 20 })
  channel: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'employee_id',
    foreignKeyConstraintName: 'notification_preference_employee_id_fkey',
  })
  employee?: Relation<EmployeeEntity>;
}
