import { MAX_SKILL_LEVEL, MIN_SKILL_LEVEL } from './employee-limits.js';
import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { SkillEntity } from '../skill/skill.entity.js';
import { EmployeeEntity } from './employee.entity.js';

@Entity('employee_skill')
@Check('employee_skill_level_check', `level BETWEEN ${MIN_SKILL_LEVEL} AND ${MAX_SKILL_LEVEL}`)
@Index('employee_skill_skill_level_idx', ['skillId', 'level'])
export class EmployeeSkillEntity {
  @PrimaryColumn({
    name: 'employee_id',
    type: 'uuid',
    primaryKeyConstraintName: 'employee_skill_pkey',
  })
  employeeId: string;

  @PrimaryColumn({
    name: 'skill_id',
    type: 'uuid',
    primaryKeyConstraintName: 'employee_skill_pkey',
  })
  skillId: string;

  @Column({ type: 'smallint' })
  level: number;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'employee_skill_employee_id_fkey' })
  employee?: Relation<EmployeeEntity>;

  @ManyToOne(() => SkillEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'skill_id', foreignKeyConstraintName: 'employee_skill_skill_id_fkey' })
  skill?: Relation<SkillEntity>;
}
