import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { conflict } from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import { EmployeeService } from '../employee/employee.service.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { BuyerKind } from '../market/market.enums.js';
import { NeedService } from '../market/need.service.js';
import type { ArchiveTeamInput } from '../team/dto/archive-team.input.js';
import type { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';

/**
 * Archiving a team (issue 14): it must hold no credits (move them first with transferCredits)
 * and be nobody's home team (move them first with moveEmployee). Its live needs close as by
 * closeNeed, their escrow returning to its account; it then takes no new needs, bids, members
 * or credits. Nothing is deleted: its ledger, needs and audit history stay.
 *
 * Lock order: the team first (FOR NO KEY UPDATE: posting a need for it, which holds it FOR
 * SHARE, waits, and then finds it archived), then its needs. This is the reverse of the usual
 * need → team order, like the initiative exception in ARCHITECTURE.md: a deadlock is detected by
 * PostgreSQL and the unit of work retries the loser whole.
 */
@Injectable()
export class TeamArchiveService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly teams: TeamService,
    private readonly employees: EmployeeService,
    private readonly ledger: LedgerService,
    private readonly needs: NeedService,
  ) {}

  async archive(input: ArchiveTeamInput, actor: Pick<Actor, 'id'>): Promise<Team> {
    return this.unitOfWork.run({ actor }, (tx) => this.archiveIn(tx, input));
  }

  /** archive, in the caller's unit of work (provisioning runs several in one). */
  async archiveIn(tx: Tx, input: ArchiveTeamInput): Promise<Team> {
    const team = await this.teams.lock(tx, input.teamId);
    if (team.archivedAt) return team;
    const homed = await this.employees.countHomedIn(tx, input.teamId);
    if (homed > 0) {
      throw conflict(
        `${homed} employee(s) have this as their home team: move them to another first`,
        'teamId',
      );
    }
    const accountId = await this.ledger.accountIdOf(tx, AccountKind.TEAM, input.teamId);
    const balance = await this.ledger.lockBalance(tx, accountId);
    if (balance !== 0) {
      throw conflict(
        `The team holds ${balance} credits: move them to another team with transferCredits first`,
        'teamId',
      );
    }
    const closed = await this.needs.closeNeedsOf(tx, BuyerKind.TEAM, input.teamId);
    const archived = await this.teams.archive(tx, input.teamId);
    await tx.record({
      action: 'team.archive',
      subjectType: 'Team',
      subjectId: input.teamId,
      payload: {
        closedNeeds: closed.map((c) => c.need.id),
        escrowReturned: closed.reduce((sum, c) => sum + (c.refund?.amount ?? 0), 0),
      },
    });
    return archived;
  }
}
