import { Injectable } from '@nestjs/common';
import { capacityExceeded, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { modifiedRows, type Db } from '../../database/sql.js';

/**
 * DESIGN.md invariant 3: an employee's committed hours never exceed their weekly capacity.
 * Commitments change a counter in the employee's row, inside the caller's transaction; the
 * employee_capacity_check constraint refuses an overbooking atomically, however many
 * acceptances and joins race for the same person.
 */
@Injectable()
export class CapacityService {
  /** Hours a week the employee has not committed yet (read in the caller's transaction). */
  async spareHours(db: Db, employeeId: string): Promise<number> {
    const [row] = (await db.query(
      `SELECT weekly_capacity_hours - committed_hours_per_week AS spare FROM employee WHERE id = $1`,
      [employeeId],
    )) as { spare: number }[];
    if (!row) throw notFound('Employee');
    return row.spare;
  }

  async commit(manager: Db, employeeId: string, hoursPerWeek: number): Promise<void> {
    await this.change(manager, employeeId, hoursPerWeek);
  }

  async release(manager: Db, employeeId: string, hoursPerWeek: number): Promise<void> {
    await this.change(manager, employeeId, -hoursPerWeek);
  }

  private async change(manager: Db, employeeId: string, delta: number): Promise<void> {
    try {
      const rows = await modifiedRows(
        manager,
        `UPDATE employee SET committed_hours_per_week = committed_hours_per_week + $2 WHERE id = $1 RETURNING id`,
        [employeeId, delta],
      );
      if (rows.length === 0) throw notFound('Employee');
    } catch (error) {
      if (isConstraintViolation(error, 'employee_capacity_check')) {
        throw capacityExceeded(`This would commit more hours a week than the person has spare`);
      }
      throw error;
    }
  }
}
