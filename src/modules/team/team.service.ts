import { Injectable } from '@nestjs/common';
import { conflict, notFound, type DomainError } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Actor } from '../../common/auth/actor.js';
import type { CreateTeamInput } from './dto/create-team.input.js';
import type { RenameTeamInput } from './dto/rename-team.input.js';
import type { TeamFilter } from './dto/teams.args.js';
import type { Team } from './team.model.js';
import { TeamRepository } from './team.repository.js';

/** A duplicate team name or directory id, as the client's error. */
function teamConflict(
  error: unknown,
  team: { name?: string; externalId?: string | null },
): DomainError | undefined {
  if (isConstraintViolation(error, 'team_name_key')) {
    return conflict(`A team named "${team.name}" already exists`, 'name');
  }
  if (isConstraintViolation(error, 'team_external_id_key')) {
    return conflict(`Another team has the external id ${team.externalId}`, 'externalId');
  }
  return undefined;
}

@Injectable()
export class TeamService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: TeamRepository,
    private readonly ledger: LedgerService,
  ) {}

  /** A new team with its budget account (balance 0). */
  async create(input: CreateTeamInput, actorId: string | null): Promise<Team> {
    return this.unitOfWork.run({ actor: actorId ? { id: actorId } : null }, (tx) =>
      this.createIn(tx, input),
    );
  }

  /**
   * create, in the caller's unit of work; `externalId` is the company directory's id for the
   * group the team is provisioned from (CONFLICT on `externalId` if another team has it).
   */
  async createIn(tx: Tx, input: CreateTeamInput & { externalId?: string | null }): Promise<Team> {
    let team: Team;
    try {
      team = await this.repository.insert(tx, input.name, input.purpose, input.externalId ?? null);
    } catch (error) {
      throw teamConflict(error, input) ?? error;
    }
    await this.ledger.openAccount(tx, AccountKind.TEAM, team.id);
    await tx.record({
      action: 'team.create',
      subjectType: 'Team',
      subjectId: team.id,
      payload: {
        name: team.name,
        purpose: team.purpose,
        ...(input.externalId ? { externalId: input.externalId } : {}),
      },
    });
    return team;
  }

  /** Sets the directory's id of a team (null: none); CONFLICT if another team has it. Audited. */
  async setExternalId(tx: Tx, teamId: string, externalId: string | null): Promise<Team> {
    const before = await this.lock(tx, teamId);
    if (before.externalId === externalId) return before;
    let team: Team;
    try {
      team = (await this.repository.setExternalId(tx, teamId, externalId))!;
    } catch (error) {
      throw teamConflict(error, { externalId }) ?? error;
    }
    await tx.record({
      action: 'team.setExternalId',
      subjectType: 'Team',
      subjectId: teamId,
      payload: { externalId: { from: before.externalId, to: externalId } },
    });
    return team;
  }

  /**
   * Locks the team's row (FOR NO KEY UPDATE) until the transaction ends, so that changes to
   * its membership are weighed one after the other; NOT_FOUND (on `field`) if there is none.
   */
  async lock(tx: Db, teamId: string, field = 'teamId'): Promise<Team> {
    const team = await this.repository.lock(tx, teamId);
    if (!team) throw notFound('Team', field);
    return team;
  }

  /**
   * Like `lock`, and refuses an archived team (CONFLICT on `field`): it takes no new needs,
   * bids, members or credits. `SHARE` when buying for the team: archiving it waits for that.
   */
  async lockActive(
    tx: Db,
    teamId: string,
    field = 'teamId',
    mode: 'NO KEY UPDATE' | 'SHARE' = 'NO KEY UPDATE',
  ): Promise<Team> {
    const team = await this.repository.lock(tx, teamId, mode);
    if (!team) throw notFound('Team', field);
    if (team.archivedAt) throw conflict(`The team "${team.name}" is archived`, field);
    return team;
  }

  /** Renames a team (admin); another team's name is CONFLICT on `name`. Audited from and to. */
  async rename(input: RenameTeamInput, actor: Pick<Actor, 'id'>): Promise<Team> {
    return this.unitOfWork.run({ actor }, (tx) => this.renameIn(tx, input));
  }

  /** rename, in the caller's unit of work (provisioning runs several in one). */
  async renameIn(tx: Tx, input: RenameTeamInput): Promise<Team> {
    const before = await this.lock(tx, input.teamId);
    let team: Team | undefined;
    try {
      team = await this.repository.rename(tx, input.teamId, input.name);
    } catch (error) {
      throw teamConflict(error, input) ?? error;
    }
    if (before.name !== team!.name) {
      await tx.record({
        action: 'team.rename',
        subjectType: 'Team',
        subjectId: input.teamId,
        payload: { name: { from: before.name, to: team!.name } },
      });
    }
    return team!;
  }

  /** Marks a team archived, in the caller's unit of work (which locked it and checked it may). */
  archive(tx: Db, teamId: string): Promise<Team> {
    return this.repository.archive(tx, teamId);
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
