import { Injectable } from '@nestjs/common';
import { unauthenticated } from '../../common/errors/domain-error.js';
import type { ActorGate } from '../../common/unit-of-work/actor-gate.js';
import type { Db } from '../../database/sql.js';
import { EmployeeRepository } from './employee.repository.js';

/** The unit of work's ActorGate: only an active employee acts (see ActorGate). */
@Injectable()
export class ActiveActorGate implements ActorGate {
  constructor(private readonly employees: EmployeeRepository) {}

  async admit(tx: Db, actorId: string): Promise<void> {
    if (!(await this.employees.holdIfActive(tx, actorId))) {
      throw unauthenticated('The token belongs to no current employee');
    }
  }
}
