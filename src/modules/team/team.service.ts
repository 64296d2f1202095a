import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { conflict, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { escapeLike, type Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { CreateTeamInput } from './dto/create-team.input.js';
import type { TeamFilter } from './dto/teams.args.js';
import { TeamEntity } from './team.entity.js';

const TEAM_COLUMNS = `id, name, purpose, created_at AS "createdAt"`;

@Injectable()
export class TeamService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  /** A new team with its budget account (balance 0). */
  async create(input: CreateTeamInput, actorId: string | null): Promise<TeamEntity> {
    return this.transactions.run(async (manager) => {
      let team: TeamEntity;
      try {
        [team] = (await manager.query(
          `INSERT INTO team (name, purpose) VALUES ($1, $2) RETURNING ${TEAM_COLUMNS}`,
          [input.name, input.purpose],
        )) as TeamEntity[];
      } catch (error) {
        if (isConstraintViolation(error, 'team_name_key')) {
          throw conflict(`A team named "${input.name}" already exists`, 'input.name');
        }
        throw error;
      }
      await this.ledger.openAccount(manager, AccountKind.TEAM, team.id);
      await this.audit.record(manager, {
        actorId,
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
  async lock(tx: Db, teamId: string, field = 'input.teamId'): Promise<void> {
    const [team] = (await tx.query(`SELECT id FROM team WHERE id = $1 FOR NO KEY UPDATE`, [
      teamId,
    ])) as { id: string }[];
    if (!team) throw notFound('Team', field);
  }

  async findById(id: string, field = 'id'): Promise<TeamEntity> {
    const [team] = (await this.dataSource.query(`SELECT ${TEAM_COLUMNS} FROM team WHERE id = $1`, [
      id,
    ])) as TeamEntity[];
    if (!team) throw notFound('Team', field);
    return team;
  }

  readonly byId = new BatchLoader<string, TeamEntity | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${TEAM_COLUMNS} FROM team WHERE id = ANY($1)`,
      [[...ids]],
    )) as TeamEntity[];
    return byKey(ids, rows, (team) => team.id);
  });

  /** Teams by name. */
  list(
    filter: TeamFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<TeamEntity>> {
    const params = new SqlParams();
    const where = filter?.name ? [`name ILIKE ${params.add(`%${escapeLike(filter.name)}%`)}`] : [];
    return keysetPage<TeamEntity>((sql, p) => this.dataSource.query(sql, p), {
      select: TEAM_COLUMNS,
      from: 'team',
      where,
      params,
      orderBy: [
        { sql: 'name', holds: 'text' },
        { sql: 'id', holds: 'uuid' },
      ],
      sortKey: (team) => [team.name, team.id],
      first,
      after,
    });
  }
}
