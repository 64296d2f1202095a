import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { escapeLike, firstRow, rows, type Db } from '../../database/sql.js';
import type { Team } from './team.model.js';

const TEAM_COLUMNS = `id, name, purpose, created_at AS "createdAt"`;

/** The `team` table. */
@Injectable()
export class TeamRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new team; the name's uniqueness is the `team_name_key` constraint's to enforce. */
  async insert(tx: Db, name: string, purpose: string): Promise<Team> {
    const [team] = await rows<Team>(
      tx,
      `INSERT INTO team (name, purpose) VALUES ($1, $2) RETURNING ${TEAM_COLUMNS}`,
      [name, purpose],
    );
    return team;
  }

  /**
   * Locks the team's row FOR NO KEY UPDATE until the transaction ends (its membership changes
   * are weighed one after the other); false if there is no such team.
   */
  async lock(tx: Db, id: string): Promise<boolean> {
    const row = await firstRow<{ id: string }>(
      tx,
      `SELECT id FROM team WHERE id = $1 FOR NO KEY UPDATE`,
      [id],
    );
    return row !== undefined;
  }

  findById(id: string, db: Db = this.dataSource): Promise<Team | undefined> {
    return firstRow<Team>(db, `SELECT ${TEAM_COLUMNS} FROM team WHERE id = $1`, [id]);
  }

  readonly byId = new BatchLoader<string, Team | null>(async (ids) => {
    const teams = await rows<Team>(
      this.dataSource,
      `SELECT ${TEAM_COLUMNS} FROM team WHERE id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, teams, (team) => team.id);
  });

  /** Teams by name, optionally those whose name contains `nameFragment` (any case). */
  page(
    nameFragment: string | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Team>> {
    const params = new SqlParams();
    const where = nameFragment ? [`name ILIKE ${params.add(`%${escapeLike(nameFragment)}%`)}`] : [];
    return keysetPage<Team>((sql, p) => this.dataSource.query(sql, p), {
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
