import {
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { EmployeeEntity } from '../employee/employee.entity.js';

/** An employee following an idea, a need or an initiative: its changes reach their inbox. */
@Entity('follow')
@Index('follow_subject_idx', ['subjectType', 'subjectId'])
export class FollowEntity {
  @PrimaryColumn({ name: 'employee_id', type: 'uuid', primaryKeyConstraintName: 'follow_pkey' })
  employeeId: string;

  @PrimaryColumn({
    name: 'subject_type',
    type: 'varchar',
    length: 30,
    primaryKeyConstraintName: 'follow_pkey',
  })
  subjectType: string;

  @PrimaryColumn({ name: 'subject_id', type: 'uuid', primaryKeyConstraintName: 'follow_pkey' })
  subjectId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'follow_employee_id_fkey' })
  employee?: Relation<EmployeeEntity>;
}
