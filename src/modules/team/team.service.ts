import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { CreateTeamInput } from './dto/create-team.input.js';
import type { TeamFilter } from './dto/teams.args.js';
import type { Team } from './team.model.js';
import { TeamRepository } from './team.repository.js';

@Injectable()
export class TeamService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: TeamRepository,
    private readonly ledger: LedgerService,
  ) {}

  /** A new team with its budget account (balance 0). */
  async create(input: CreateTeamInput, actorId: string | null): Promise<Team> {
    return this.unitOfWork.run({ actor: actorId ? { id: actorId } : null }, async (tx) => {
      let team: Team;
      try {
        team = await this.repository.insert(tx, input.name, input.purpose);
      } catch (error) {
        if (isConstraintViolation(error, 'team_name_key')) {
          throw conflict(`A team named "${input.name}" already exists`, 'name');
        }
        throw error;
      }
      await this.ledger.openAccount(tx, AccountKind.TEAM, team.id);
      await tx.record({
        action: 'team.create',
        subjectType: 'Team',
        subjectId: team.id,
        payload: { name: team.name, purpose: team.purpose },
      });
      return team;
    });
  }

  /**
   * Locks the team's row (FOR NO KEY UPDATE) until the transaction ends, so that changes to
   * its membership are weighed one after the other; NOT_FOUND (on `field`) if there is none.
   */
  async lock(tx: Db, teamId: string, field = 'teamId'): Promise<void> {
    if (!(await this.repository.lock(tx, teamId))) throw notFound('Team', field);
  }

  async findById(id: string, field = 'id'): Promise<Team> {
    const team = await this.repository.findById(id);
    if (!team) throw notFound('Team', field);
    return team;
  }

  /** Teams by id, batched per request (the repository's loader). */
  get byId(): TeamRepository['byId'] {
    return this.repository.byId;
  }

  /** Teams by name. */
  list(
    filter: TeamFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Team>> {
    return this.repository.page(filter?.name, first, after);
  }
}
