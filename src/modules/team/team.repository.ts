import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { escapeLike, firstRow, rows, type Db } from '../../database/sql.js';
import type { Team } from './team.model.js';

const TEAM_COLUMNS = `id, name, purpose, created_at AS "createdAt", archived_at AS "archivedAt",
  external_id AS "externalId"`;

/** The `team` table. */
@Injectable()
export class TeamRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** A new team; the name's uniqueness is the `team_name_key` constraint's to enforce. */
  async insert(
    tx: Db,
    name: string,
    purpose: string,
    externalId: string | null = null,
  ): Promise<Team> {
    const [team] = await rows<Team>(
      tx,
      `INSERT INTO team (name, purpose, external_id) VALUES ($1, $2, $3) RETURNING ${TEAM_COLUMNS}`,
      [name, purpose, externalId],
    );
    return team;
  }

  /** Sets the directory's id (uniqueness is `team_external_id_key`'s to enforce). */
  setExternalId(tx: Db, id: string, externalId: string | null): Promise<Team | undefined> {
    return firstRow<Team>(
      tx,
      `UPDATE team SET external_id = $2 WHERE id = $1 RETURNING ${TEAM_COLUMNS}`,
      [id, externalId],
    );
  }

  /**
   * The team, its row locked until the transaction ends: FOR NO KEY UPDATE to weigh its
   * membership changes (or archive it) one after the other, FOR SHARE to keep it as it is
   * (not archived) while buying for it; undefined if there is no such team.
   */
  lock(
    tx: Db,
    id: string,
    mode: 'NO KEY UPDATE' | 'SHARE' = 'NO KEY UPDATE',
  ): Promise<Team | undefined> {
    return firstRow<Team>(tx, `SELECT ${TEAM_COLUMNS} FROM team WHERE id = $1 FOR ${mode}`, [id]);
  }

  /** Renames the team; the name's uniqueness is the `team_name_key` constraint's to enforce. */
  async rename(tx: Db, id: string, name: string): Promise<Team | undefined> {
    return firstRow<Team>(tx, `UPDATE team SET name = $2 WHERE id = $1 RETURNING ${TEAM_COLUMNS}`, [
      id,
      name,
    ]);
  }

  /** Marks the team archived (now). */
  async archive(tx: Db, id: string): Promise<Team> {
    const [team] = await rows<Team>(
      tx,
      `UPDATE team SET archived_at = now() WHERE id = $1 RETURNING ${TEAM_COLUMNS}`,
      [id],
    );
    return team;
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
    return keysetPage<Team>((sql, p) => this.reads.query(sql, p), {
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
