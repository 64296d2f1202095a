import { Injectable } from '@nestjs/common';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import type { Db } from '../../database/sql.js';
import type { SkillFilter } from './dto/skills.args.js';
import { normalizeSkillName, tidySkillName } from './skill-name.js';
import type { Skill } from './skill.model.js';
import { SkillRepository } from './skill.repository.js';

@Injectable()
export class SkillService {
  constructor(private readonly repository: SkillRepository) {}

  /** The skills with these names, created when new; keyed by normalised name. */
  async ensureSkills(tx: Db, names: readonly string[]): Promise<Map<string, Skill>> {
    if (names.length === 0) return new Map();
    const normalized = names.map(normalizeSkillName);
    await this.repository.insertMissing(tx, names.map(tidySkillName), normalized);
    return byNormalizedName(await this.repository.findByNormalizedNames(normalized, tx));
  }

  /** The skills that already exist under these names, keyed by normalised name; none created. */
  async findByNames(db: Db, names: readonly string[]): Promise<Map<string, Skill>> {
    if (names.length === 0) return new Map();
    return byNormalizedName(
      await this.repository.findByNormalizedNames(names.map(normalizeSkillName), db),
    );
  }

  /** Skills by id, batched per request (the repository's loader). */
  get byId(): SkillRepository['byId'] {
    return this.repository.byId;
  }

  /** Skills by name. */
  list(
    filter: SkillFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Skill>> {
    return this.repository.page(
      filter?.name ? normalizeSkillName(filter.name) : undefined,
      first,
      after,
    );
  }
}

const byNormalizedName = (skills: Skill[]): Map<string, Skill> =>
  new Map(skills.map((skill) => [skill.normalizedName, skill]));
