import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import type { NeedFilter } from './dto/needs.args.js';
import { BuyerKind } from './market.enums.js';
import type { Need, RequiredSkill } from './models/market.models.js';

/** Need columns over `need n`. */
export const NEED_COLUMNS = `n.id, n.seq, n.buyer_kind AS "buyerKind", n.buyer_id AS "buyerId",
  n.buyer_account_id AS "buyerAccountId", n.escrow_account_id AS "escrowAccountId",
  n.posted_by_id AS "postedById", n.title, n.description, n.hours_per_week AS "hoursPerWeek", n.weeks,
  n.rate_per_hour AS "ratePerHour", n.accepted_hours_per_week AS "acceptedHoursPerWeek", n.status,
  n.created_at AS "createdAt", n.filled_at AS "filledAt", n.closed_at AS "closedAt"`;

/** The same expression as the need_search_idx index, so full-text search can use it. */
const SEARCH_DOCUMENT = `to_tsvector('english', n.title || ' ' || n.description)`;

/** A row lock's strength: SHARE while the need must not change, UPDATE when it changes. */
export type LockMode = 'SHARE' | 'UPDATE';

export type NeedRow = Omit<Need, 'seq'> & { seq: string | number };
export const toNeed = (row: NeedRow): Need => ({ ...row, seq: Number(row.seq) });

/** What a new need is made of (its id is chosen first: its escrow account is owned by it). */
export interface NewNeed {
  id: string;
  buyerKind: BuyerKind;
  buyerId: string;
  buyerAccountId: string;
  escrowAccountId: string;
  postedById: string;
  title: string;
  description: string;
  hoursPerWeek: number;
  weeks: number;
  ratePerHour: number;
}

/** The `need` and `need_skill` tables. */
@Injectable()
export class NeedRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** Inserts an OPEN need. */
  async insert(tx: Db, need: NewNeed): Promise<Need> {
    const [row] = await rows<NeedRow>(
      tx,
      `INSERT INTO need AS n (id, buyer_kind, buyer_id, buyer_account_id, escrow_account_id, posted_by_id,
                              title, description, hours_per_week, weeks, rate_per_hour)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${NEED_COLUMNS}`,
      [
        need.id,
        need.buyerKind,
        need.buyerId,
        need.buyerAccountId,
        need.escrowAccountId,
        need.postedById,
        need.title,
        need.description,
        need.hoursPerWeek,
        need.weeks,
        need.ratePerHour,
      ],
    );
    return toNeed(row);
  }

  /** The need's required skills, in one statement (`minLevels[i]` goes with `skillIds[i]`). */
  async addRequiredSkills(
    tx: Db,
    needId: string,
    skillIds: readonly string[],
    minLevels: readonly number[],
  ): Promise<void> {
    await tx.query(
      `INSERT INTO need_skill (need_id, skill_id, min_level)
       SELECT $1, * FROM unnest($2::uuid[], $3::int[])`,
      [needId, skillIds, minLevels],
    );
  }

  /**
   * The need, row-locked for the rest of the transaction (SHARE: it must not change; UPDATE:
   * we change it). NOT_FOUND on `field` if there is none. (WorkLockRepository locks a need
   * together with the rows of it that a change works on.)
   */
  async lock(tx: Db, needId: string, mode: LockMode, field = 'needId'): Promise<Need> {
    const row = await firstRow<NeedRow>(
      tx,
      `SELECT ${NEED_COLUMNS} FROM need n WHERE n.id = $1 FOR ${mode}`,
      [needId],
    );
    if (!row) throw notFound('Need', field);
    return toNeed(row);
  }

  /** The need's required skills as "name (level)", highest level first, then by name. */
  async requiredSkillLabels(tx: Db, needId: string): Promise<string[]> {
    const found = await rows<{ label: string }>(
      tx,
      `SELECT k.name || ' (' || s.min_level || ')' AS label FROM need_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.need_id = $1 ORDER BY s.min_level DESC, k.normalized_name`,
      [needId],
    );
    return found.map((r) => r.label);
  }

  /** Drops the need's required skills (an edit replaces them). */
  async removeRequiredSkills(tx: Db, needId: string): Promise<void> {
    await tx.query(`DELETE FROM need_skill WHERE need_id = $1`, [needId]);
  }

  /** Writes an edited title and description (under the need's lock). */
  async updateText(tx: Db, needId: string, title: string, description: string): Promise<Need> {
    const [row] = await rows<NeedRow>(
      tx,
      `UPDATE need n SET title = $2, description = $3 WHERE id = $1 RETURNING ${NEED_COLUMNS}`,
      [needId, title, description],
    );
    return toNeed(row);
  }

  /** The OPEN and FILLED needs a team or an initiative buys for, locked FOR UPDATE in id order. */
  async lockLiveOf(tx: Db, buyerKind: BuyerKind, buyerId: string): Promise<Need[]> {
    const found = await rows<NeedRow>(
      tx,
      `SELECT ${NEED_COLUMNS} FROM need n
        WHERE n.buyer_kind = $1 AND n.buyer_id = $2 AND n.status IN ('OPEN', 'FILLED')
        ORDER BY n.id FOR UPDATE`,
      [buyerKind, buyerId],
    );
    return found.map(toNeed);
  }

  /**
   * Adds accepted hours; the need becomes FILLED when they reach its hours. Fails on
   * need_accepted_hours_check if they would exceed them.
   */
  async addAcceptedHours(tx: Db, needId: string, hoursPerWeek: number): Promise<Need> {
    const [row] = await rows<NeedRow>(
      tx,
      `UPDATE need n SET accepted_hours_per_week = accepted_hours_per_week + $2,
              status = CASE WHEN accepted_hours_per_week + $2 = hours_per_week THEN 'FILLED' ELSE status END::need_status,
              filled_at = CASE WHEN accepted_hours_per_week + $2 = hours_per_week THEN now() ELSE filled_at END
        WHERE id = $1 RETURNING ${NEED_COLUMNS}`,
      [needId, hoursPerWeek],
    );
    return toNeed(row);
  }

  /**
   * Sets a higher rate (never a lower one: the statement changes nothing then). Existing bids
   * and engagements keep their own rates.
   */
  async raiseRate(tx: Db, needId: string, ratePerHour: number): Promise<Need | undefined> {
    const row = await firstRow<NeedRow>(
      tx,
      `UPDATE need n SET rate_per_hour = $2 WHERE id = $1 AND rate_per_hour < $2
        RETURNING ${NEED_COLUMNS}`,
      [needId, ratePerHour],
    );
    return row && toNeed(row);
  }

  /** Ends the need: CLOSED if any hours were accepted, else CANCELLED. */
  async markClosed(tx: Db, needId: string): Promise<Need> {
    const [row] = await rows<NeedRow>(
      tx,
      `UPDATE need n SET closed_at = now(),
              status = CASE WHEN accepted_hours_per_week > 0 THEN 'CLOSED' ELSE 'CANCELLED' END::need_status
        WHERE id = $1 RETURNING ${NEED_COLUMNS}`,
      [needId],
    );
    return toNeed(row);
  }

  /** The need, or undefined. Reads through `db` (a replay's transaction) when given. */
  async findById(id: string, db: Db = this.dataSource): Promise<Need | undefined> {
    const row = await firstRow<NeedRow>(db, `SELECT ${NEED_COLUMNS} FROM need n WHERE n.id = $1`, [
      id,
    ]);
    return row && toNeed(row);
  }

  /** Needs matching the filter, newest first. */
  page(
    filter: NeedFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Need>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter?.status) where.push(`n.status = ${params.add(filter.status)}`);
    if (filter?.buyerInitiativeId) {
      where.push(
        `n.buyer_kind = '${BuyerKind.INITIATIVE}' AND n.buyer_id = ${params.add(filter.buyerInitiativeId)}`,
      );
    }
    if (filter?.buyerTeamId) {
      where.push(
        `n.buyer_kind = '${BuyerKind.TEAM}' AND n.buyer_id = ${params.add(filter.buyerTeamId)}`,
      );
    }
    if (filter?.skillId || filter?.skill) {
      const skill = filter.skillId
        ? params.add(filter.skillId)
        : `(SELECT id FROM skill WHERE normalized_name = ${params.add(normalizeSkillName(filter.skill!))})`;
      where.push(
        `EXISTS (SELECT 1 FROM need_skill s WHERE s.need_id = n.id AND s.skill_id = ${skill})`,
      );
    }
    if (filter?.text) {
      where.push(
        `${SEARCH_DOCUMENT} @@ websearch_to_tsquery('english', ${params.add(filter.text)})`,
      );
    }
    return keysetPage<NeedRow, Need>((sql, p) => this.reads.query(sql, p), {
      select: NEED_COLUMNS,
      from: 'need n',
      where,
      params,
      orderBy: [{ sql: 'n.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (need) => [need.seq],
      map: toNeed,
      first,
      after,
    });
  }

  readonly byId = new BatchLoader<string, Need | null>(async (ids) => {
    const found = await rows<NeedRow>(
      this.dataSource,
      `SELECT ${NEED_COLUMNS} FROM need n WHERE n.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toNeed), (need) => need.id);
  });

  /** Each need's required skills, highest level first, then by name. */
  readonly requiredSkills = new BatchLoader<string, RequiredSkill[]>(async (needIds) => {
    const found = await rows<RequiredSkill>(
      this.dataSource,
      `SELECT s.need_id AS "needId", s.skill_id AS "skillId", s.min_level AS "minLevel"
         FROM need_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.need_id = ANY($1) ORDER BY s.min_level DESC, k.normalized_name`,
      [[...needIds]],
    );
    return groupedByKey(needIds, found, (s) => s.needId);
  });
}
