import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { badInput, conflict } from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { DeactivateEmployeeInput } from '../employee/dto/leaver.inputs.js';
import { EmployeeAdminService } from '../employee/employee-admin.service.js';
import type { Employee } from '../employee/employee.model.js';
import { MembershipService } from '../initiative/membership.service.js';
import type { Initiative } from '../initiative/models/initiative.models.js';
import { LeaverMarketService } from '../market/leaver-market.service.js';

/**
 * Leavers (issue 14): an admin deactivates someone in one unit of work. Their initiatives first
 * (owned ACTIVE ones handed to the successor, memberships ended, hours freed), then the market
 * (pending bids withdrawn, active engagements ended with the unlogged escrow returned), then the
 * employee row (deactivated, sessions ended). Nothing is deleted; their idea drafts stay private.
 *
 * Lock order: the leaver's employee row first (FOR UPDATE: their own units of work hold it FOR
 * KEY SHARE, so none of theirs runs alongside and none commits after), then initiative →
 * (successor employee) → need → engagement, as everywhere. Work of others that locks a need and
 * then the leaver's row (accepting their bid, closing a need they work on) can meet it in a
 * deadlock, which PostgreSQL detects and the unit of work retries whole.
 */
@Injectable()
export class LeaversService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly people: EmployeeAdminService,
    private readonly memberships: MembershipService,
    private readonly market: LeaverMarketService,
  ) {}

  async deactivate(input: DeactivateEmployeeInput, actor: Pick<Actor, 'id'>): Promise<Employee> {
    const { employeeId, successorId } = input;
    if (successorId === employeeId) {
      throw badInput('successorId', 'successorId: a leaver cannot succeed themselves');
    }
    return this.unitOfWork.run({ actor }, (tx) => this.deactivateIn(tx, input));
  }

  /**
   * deactivate, in the caller's unit of work (provisioning: SCIM and the people import). A
   * directory's deactivation must never be refused for want of a successor: `orphansTo` (the
   * admin the provisioning acts for) takes over initiatives whose sponsor team has no other lead.
   */
  async deactivateIn(
    tx: Tx,
    input: DeactivateEmployeeInput,
    orphansTo?: string,
  ): Promise<Employee> {
    const { employeeId, successorId } = input;
    await this.people.lockActive(tx, employeeId);
    const initiatives = await this.memberships.offboard(tx, employeeId, (initiative) =>
      this.successorFor(tx, initiative, employeeId, successorId, orphansTo),
    );
    const withdrawnBids = await this.market.withdrawBidsOf(tx, employeeId);
    const ended = await this.market.endEngagementsOf(tx, employeeId);
    const deactivated = await this.people.deactivate(tx, employeeId);
    await tx.record({
      action: 'employee.deactivate',
      subjectType: 'Employee',
      subjectId: employeeId,
      payload: {
        ...initiatives,
        withdrawnBids,
        endedEngagements: ended,
        escrowReturned: ended.reduce((sum, e) => sum + e.returned, 0),
        sessionsEnded: true,
      },
    });
    return deactivated;
  }

  /**
   * The given successor (active), else an active lead of the sponsor team, else `orphansTo`;
   * CONFLICT if none.
   */
  private async successorFor(
    tx: Tx,
    initiative: Initiative,
    leaverId: string,
    successorId: string | undefined,
    orphansTo?: string,
  ): Promise<string> {
    if (successorId) return (await this.people.holdActive(tx, successorId, 'successorId')).id;
    const lead =
      (await this.people.activeLeadOf(tx, initiative.sponsorTeamId, leaverId)) ??
      (orphansTo !== leaverId ? orphansTo : undefined);
    if (!lead) {
      throw conflict(
        `Nobody can take "${initiative.title}" over: give a successorId (its sponsor team has no other active lead)`,
        'successorId',
      );
    }
    return (await this.people.holdActive(tx, lead, 'successorId')).id;
  }
}
