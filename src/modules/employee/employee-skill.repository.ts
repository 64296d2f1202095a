import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { rows, type Db } from '../../database/sql.js';
import type { EmployeeSkill } from './employee.model.js';

interface EmployeeSkillRow {
  employeeId: string;
  skillId: string;
  level: number;
  name: string;
  normalizedName: string;
}

const toEmployeeSkill = ({ name, normalizedName, ...row }: EmployeeSkillRow): EmployeeSkill => ({
  ...row,
  skill: { id: row.skillId, name, normalizedName },
});

/** The `employee_skill` table: the skills a person has, each at a level. */
@Injectable()
export class EmployeeSkillRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Forgets every skill of the employee (before a replacement). */
  async removeAll(tx: Db, employeeId: string): Promise<void> {
    await tx.query(`DELETE FROM employee_skill WHERE employee_id = $1`, [employeeId]);
  }

  /** Gives the employee these skills, `levels[i]` for `skillIds[i]`, in one statement. */
  async add(tx: Db, employeeId: string, skillIds: string[], levels: number[]): Promise<void> {
    await tx.query(
      `INSERT INTO employee_skill (employee_id, skill_id, level)
       SELECT $1, * FROM unnest($2::uuid[], $3::int[])`,
      [employeeId, skillIds, levels],
    );
  }

  /** Of the skills named (normalized names), those the employee holds: name → skill id. */
  async heldSkillIds(db: Db, employeeId: string, names: string[]): Promise<Map<string, string>> {
    const held = await rows<{ id: string; name: string }>(
      db,
      `SELECT k.id, k.normalized_name AS name FROM employee_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.employee_id = $1 AND k.normalized_name = ANY($2)`,
      [employeeId, names],
    );
    return new Map(held.map((r) => [r.name, r.id]));
  }

  /** An employee's skills, strongest first. */
  readonly byEmployee = new BatchLoader<string, EmployeeSkill[]>(async (employeeIds) => {
    const found = await rows<EmployeeSkillRow>(
      this.dataSource,
      `SELECT s.employee_id AS "employeeId", s.skill_id AS "skillId", s.level, k.name,
              k.normalized_name AS "normalizedName"
         FROM employee_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.employee_id = ANY($1) ORDER BY s.level DESC, k.normalized_name`,
      [[...employeeIds]],
    );
    return groupedByKey(employeeIds, found.map(toEmployeeSkill), (s) => s.employeeId);
  });
}
