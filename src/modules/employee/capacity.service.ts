import { Injectable } from '@nestjs/common';
import { capacityExceeded, DomainError, notFound } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { Employee } from './employee.model.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { Db } from '../../database/sql.js';
import { EmployeeRepository } from './employee.repository.js';

/**
 * DESIGN.md invariant 3: an employee's committed hours never exceed their weekly capacity.
 * Commitments change a counter in the employee's row, inside the caller's transaction; the
 * employee_capacity_check constraint refuses an overbooking atomically, however many
 * acceptances and joins race for the same person.
 */
@Injectable()
export class CapacityService {
  constructor(private readonly employees: EmployeeRepository) {}

  /** Hours a week the employee has not committed yet (read in the caller's transaction). */
  async spareHours(db: Db, employeeId: string): Promise<number> {
    const spare = await this.employees.spareHours(db, employeeId);
    if (spare === undefined) throw notFound('Employee');
    return spare;
  }

  async commit(tx: Db, employeeId: string, hoursPerWeek: number): Promise<void> {
    await this.change(tx, employeeId, hoursPerWeek);
  }

  async release(tx: Db, employeeId: string, hoursPerWeek: number): Promise<void> {
    await this.change(tx, employeeId, -hoursPerWeek);
  }

  private async change(tx: Db, employeeId: string, delta: number): Promise<void> {
    try {
      if (!(await this.employees.addCommittedHours(tx, employeeId, delta))) {
        throw notFound('Employee');
      }
    } catch (error) {
      if (isConstraintViolation(error, 'employee_capacity_check')) {
        throw capacityExceeded(`This would commit more hours a week than the person has spare`);
      }
      throw error;
    }
  }

  /**
   * Refuses (CAPACITY_EXCEEDED on `field`) a weekly capacity below the hours the employee has
   * committed. `employee` must have been read under its row lock (EmployeeRepository.lock), so
   * no commitment can slip in between this check and the change; the employee_capacity_check
   * constraint backs it up.
   */
  assertCapacityCovers(employee: Employee, weeklyCapacityHours: number, field: string): void {
    if (weeklyCapacityHours < employee.committedHoursPerWeek) {
      throw new DomainError(
        ErrorCode.CAPACITY_EXCEEDED,
        `${employee.committedHoursPerWeek} hours a week are committed already; the capacity cannot go below that`,
        { field },
      );
    }
  }
}
