import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { escapeLike } from '../../database/sql.js';
import type { SkillFilter } from './dto/skills.args.js';
import { normalizeSkillName, tidySkillName } from './skill-name.js';
import { SkillEntity } from './skill.entity.js';

const SKILL_COLUMNS = `id, name, normalized_name AS "normalizedName", created_at AS "createdAt"`;

@Injectable()
export class SkillService {
  constructor(private readonly dataSource: DataSource) {}

  /** The skills with these names, created when new; keyed by normalised name. */
  async ensureSkills(
    manager: EntityManager,
    names: readonly string[],
  ): Promise<Map<string, SkillEntity>> {
    if (names.length === 0) return new Map();
    const normalized = names.map(normalizeSkillName);
    await manager.query(
      `INSERT INTO skill (name, normalized_name)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (normalized_name) DO NOTHING`,
      [names.map(tidySkillName), normalized],
    );
    const rows = (await manager.query(
      `SELECT ${SKILL_COLUMNS} FROM skill WHERE normalized_name = ANY($1)`,
      [normalized],
    )) as SkillEntity[];
    return new Map(rows.map((skill) => [skill.normalizedName, skill]));
  }

  /** The skills that already exist under these names, keyed by normalised name; none created. */
  async findByNames(
    manager: EntityManager,
    names: readonly string[],
  ): Promise<Map<string, SkillEntity>> {
    if (names.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT ${SKILL_COLUMNS} FROM skill WHERE normalized_name = ANY($1)`,
      [names.map(normalizeSkillName)],
    )) as SkillEntity[];
    return new Map(rows.map((skill) => [skill.normalizedName, skill]));
  }

  readonly byId = new BatchLoader<string, SkillEntity | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${SKILL_COLUMNS} FROM skill WHERE id = ANY($1)`,
      [[...ids]],
    )) as SkillEntity[];
    return byKey(ids, rows, (skill) => skill.id);
  });

  /** Skills by name. */
  list(
    filter: SkillFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<SkillEntity>> {
    const params = new SqlParams();
    const where = filter?.name
      ? [`normalized_name LIKE ${params.add(`%${escapeLike(normalizeSkillName(filter.name))}%`)}`]
      : [];
    return keysetPage<SkillEntity>((sql, p) => this.dataSource.query(sql, p), {
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
