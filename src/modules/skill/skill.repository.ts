import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { escapeLike, rows, type Db } from '../../database/sql.js';
import type { Skill } from './skill.model.js';

const SKILL_COLUMNS = `id, name, normalized_name AS "normalizedName"`;

/** The `skill` table: one row per skill, unique by normalised name. */
@Injectable()
export class SkillRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** Adds the skills not known yet (names tidied, with their normalised forms); others are left. */
  async insertMissing(tx: Db, names: readonly string[], normalizedNames: string[]): Promise<void> {
    await tx.query(
      `INSERT INTO skill (name, normalized_name)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (normalized_name) DO NOTHING`,
      [names, normalizedNames],
    );
  }

  /** The skills with these normalised names (those that exist). */
  findByNormalizedNames(normalizedNames: string[], db: Db = this.dataSource): Promise<Skill[]> {
    return rows<Skill>(db, `SELECT ${SKILL_COLUMNS} FROM skill WHERE normalized_name = ANY($1)`, [
      normalizedNames,
    ]);
  }

  readonly byId = new BatchLoader<string, Skill | null>(async (ids) => {
    const skills = await rows<Skill>(
      this.dataSource,
      `SELECT ${SKILL_COLUMNS} FROM skill WHERE id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, skills, (skill) => skill.id);
  });

  /** Skills by normalised name, optionally those whose normalised name contains `fragment`. */
  page(
    normalizedFragment: string | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Skill>> {
    const params = new SqlParams();
    const where = normalizedFragment
      ? [`normalized_name LIKE ${params.add(`%${escapeLike(normalizedFragment)}%`)}`]
      : [];
    return keysetPage<Skill>((sql, p) => this.reads.query(sql, p), {
      select: SKILL_COLUMNS,
      from: 'skill',
      where,
      params,
      orderBy: [
        { sql: 'normalized_name', holds: 'text' },
        { sql: 'id', holds: 'uuid' },
      ],
      sortKey: (skill) => [skill.normalizedName, skill.id],
      first,
      after,
    });
  }
}
