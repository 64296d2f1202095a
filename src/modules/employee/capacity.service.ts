import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { capacityExceeded, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { modifiedRows } from '../../database/sql.js';

/**
 * DESIGN.md invariant 3: an employee's committed hours never exceed their weekly capacity.
 * Commitments change a counter in the employee's row, inside the caller's transaction; the
 * employee_capacity_check constraint refuses an overbooking atomically, however many
 * acceptances and joins race for the same person.
 */
@Injectable()
export class CapacityService {
  async commit(manager: EntityManager, employeeId: string, hoursPerWeek: number): Promise<void> {
    await this.change(manager, employeeId, hoursPerWeek);
  }

  async release(manager: EntityManager, employeeId: string, hoursPerWeek: number): Promise<void> {
    await this.change(manager, employeeId, -hoursPerWeek);
  }

  private async change(manager: EntityManager, employeeId: string, delta: number): Promise<void> {
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
