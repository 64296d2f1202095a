import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import { round1 } from '../../common/figures/rounding.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { employeeFromJson, employeeJson } from '../employee/employee.repository.js';
import type { InitiativeFilter } from './dto/initiative.inputs.js';
import type { InitiativeStatus } from './initiative.enums.js';
import type { Initiative, InitiativeFunder } from './models/initiative.models.js';

/** Initiative columns over `initiative i`. */
const INITIATIVE_COLUMNS = `i.id, i.seq, i.owner_id AS "ownerId", i.sponsor_team_id AS "sponsorTeamId",
  i.account_id AS "accountId", i.title, i.summary, i.budget, i.spent, i.outcome_score AS "outcomeScore",
  i.status, i.created_at AS "startedAt",
  i.finished_at AS "finishedAt", i.finish_note AS "finishNote"`;

/** bigint columns arrive as strings. */
type InitiativeRow = Omit<Initiative, 'seq' | 'budget' | 'spent'> &
  Record<'seq' | 'budget' | 'spent', string>;
const toInitiative = (row: InitiativeRow): Initiative => ({
  ...row,
  seq: Number(row.seq),
  budget: Number(row.budget),
  spent: Number(row.spent),
  // Shown as every score is (InitiativeOutcome.outcomeScore too): to one decimal.
  outcomeScore: round1(row.outcomeScore),
});

type FunderRow = Omit<InitiativeFunder, 'amount'> & { amount: string };
const toFunder = (row: FunderRow): InitiativeFunder => ({ ...row, amount: Number(row.amount) });

/** How a row lock is taken; see `lock`. */
export type InitiativeLockMode = 'SHARE' | 'NO KEY UPDATE' | 'UPDATE';

/** What a new initiative is made of (its id is chosen first: its account is owned by it). */
export interface NewInitiativeRow {
  id: string;
  ownerId: string;
  sponsorTeamId: string;
  accountId: string;
  title: string;
  summary: string;
  budget: number;
}

/** A funding team, with the account its share of a refund goes back to. */
export interface RefundableFunder {
  teamId: string;
  amount: number;
  accountId: string;
}

/** The `initiative` and `initiative_funder` tables. */
@Injectable()
export class InitiativeRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** Inserts an ACTIVE initiative with nothing spent. */
  async insert(tx: Db, initiative: NewInitiativeRow): Promise<Initiative> {
    const [row] = await rows<InitiativeRow>(
      tx,
      `INSERT INTO initiative AS i (id, owner_id, sponsor_team_id, account_id, title, summary, budget)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${INITIATIVE_COLUMNS}`,
      [
        initiative.id,
        initiative.ownerId,
        initiative.sponsorTeamId,
        initiative.accountId,
        initiative.title,
        initiative.summary,
        initiative.budget,
      ],
    );
    return toInitiative(row);
  }

  /** Records who paid for the initiative, and how much, in one statement. */
  async addFunders(
    tx: Db,
    initiativeId: string,
    funders: readonly { teamId: string; amount: number }[],
  ): Promise<void> {
    await tx.query(
      `INSERT INTO initiative_funder (initiative_id, team_id, amount) SELECT $1, * FROM unnest($2::uuid[], $3::bigint[])`,
      [initiativeId, funders.map((f) => f.teamId), funders.map((f) => f.amount)],
    );
  }

  /**
   * The initiative, row-locked for the rest of the transaction; NOT_FOUND on `field` if there
   * is none. NO KEY UPDATE serializes additions that are counted against a maximum without
   * blocking the foreign-key checks of rows that refer to the initiative.
   */
  async lock(
    tx: Db,
    id: string,
    mode: InitiativeLockMode,
    field = 'initiativeId',
  ): Promise<Initiative> {
    const row = await firstRow<InitiativeRow>(
      tx,
      `SELECT ${INITIATIVE_COLUMNS} FROM initiative i WHERE i.id = $1 FOR ${mode}`,
      [id],
    );
    if (!row) throw notFound('Initiative', field);
    return toInitiative(row);
  }

  /** The initiative, or undefined. Reads through `db` (a replay's transaction) when given. */
  async findById(id: string, db: Db = this.dataSource): Promise<Initiative | undefined> {
    const row = await firstRow<InitiativeRow>(
      db,
      `SELECT ${INITIATIVE_COLUMNS} FROM initiative i WHERE i.id = $1`,
      [id],
    );
    return row && toInitiative(row);
  }

  /** The initiative with its owner (`owner`) read in the same statement. */
  async findWithOwner(id: string): Promise<Initiative | undefined> {
    const row = await firstRow<InitiativeRow & { owner: Record<string, unknown> }>(
      this.dataSource,
      `SELECT ${INITIATIVE_COLUMNS}, ${employeeJson('i.owner_id')} AS owner
         FROM initiative i WHERE i.id = $1`,
      [id],
    );
    return row && { ...toInitiative(row), owner: employeeFromJson(row.owner) };
  }

  /** The ids of the ACTIVE initiatives the employee owns (read without locks). */
  async activeOwnedBy(db: Db, ownerId: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT id FROM initiative WHERE owner_id = $1 AND status = 'ACTIVE' ORDER BY seq`,
      [ownerId],
    );
    return found.map((row) => row.id);
  }

  /** A new owner for a locked initiative (its owner left). */
  async setOwner(tx: Db, id: string, ownerId: string): Promise<void> {
    await tx.query(`UPDATE initiative SET owner_id = $2 WHERE id = $1`, [id, ownerId]);
  }

  /** Adds an escrow deposit (positive) or return (negative) of its needs to `spent`. */
  async addSpending(tx: Db, id: string, credits: number): Promise<void> {
    await tx.query(`UPDATE initiative SET spent = spent + $2 WHERE id = $1`, [id, credits]);
  }

  /**
   * Keeps the outcome score (the mean progress of the metrics measured so far, each capped to
   * 0–100, see metric-progress.ts) in step with the metrics' latest values, for dashboards.
   */
  async refreshOutcomeScore(tx: Db, id: string): Promise<void> {
    await tx.query(
      `UPDATE initiative SET outcome_score = (
         SELECT avg(least(1, greatest(0, (latest_value - baseline) / (target - baseline))) * 100)
           FROM outcome_metric WHERE initiative_id = $1 AND latest_value IS NOT NULL)
        WHERE id = $1`,
      [id],
    );
  }

  /** Ends the initiative COMPLETED or CANCELLED, with the note saying why. */
  async finish(
    tx: Db,
    id: string,
    status: InitiativeStatus,
    note: string | null,
  ): Promise<Initiative> {
    const [row] = await rows<InitiativeRow>(
      tx,
      `UPDATE initiative i SET status = $2, finished_at = now(), finish_note = $3
        WHERE id = $1 RETURNING ${INITIATIVE_COLUMNS}`,
      [id, status, note],
    );
    return toInitiative(row);
  }

  /** The funding teams with their team accounts (read, not locked), largest share first. */
  async fundersWithAccounts(tx: Db, initiativeId: string): Promise<RefundableFunder[]> {
    const found = await rows<FunderRow & { accountId: string }>(
      tx,
      `SELECT f.team_id AS "teamId", f.amount::text AS amount, a.id AS "accountId"
         FROM initiative_funder f JOIN account a ON a.kind = 'TEAM' AND a.owner_id = f.team_id
        WHERE f.initiative_id = $1 ORDER BY f.amount DESC, f.team_id`,
      [initiativeId],
    );
    return found.map((row) => ({
      teamId: row.teamId,
      amount: Number(row.amount),
      accountId: row.accountId,
    }));
  }

  /** Newest first. */
  page(
    filter: InitiativeFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Initiative>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter?.status) where.push(`i.status = ${params.add(filter.status)}`);
    if (filter?.sponsorTeamId)
      where.push(`i.sponsor_team_id = ${params.add(filter.sponsorTeamId)}`);
    if (filter?.participantId) {
      const person = params.add(filter.participantId);
      where.push(
        `(i.owner_id = ${person} OR EXISTS (SELECT 1 FROM initiative_member m
            WHERE m.initiative_id = i.id AND m.employee_id = ${person} AND m.left_at IS NULL))`,
      );
    }
    return keysetPage<InitiativeRow, Initiative>((sql, p) => this.reads.query(sql, p), {
      select: INITIATIVE_COLUMNS,
      from: 'initiative i',
      where,
      params,
      orderBy: [{ sql: 'i.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (initiative) => [initiative.seq],
      map: toInitiative,
      first,
      after,
    });
  }

  readonly byId = new BatchLoader<string, Initiative | null>(async (ids) => {
    const found = await rows<InitiativeRow>(
      this.dataSource,
      `SELECT ${INITIATIVE_COLUMNS} FROM initiative i WHERE i.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toInitiative), (i) => i.id);
  });

  /** Each initiative's funding teams, largest first. */
  readonly funders = new BatchLoader<string, InitiativeFunder[]>(async (initiativeIds) => {
    const found = await rows<FunderRow>(
      this.dataSource,
      `SELECT initiative_id AS "initiativeId", team_id AS "teamId", amount::text AS amount
         FROM initiative_funder WHERE initiative_id = ANY($1) ORDER BY amount DESC, team_id`,
      [[...initiativeIds]],
    );
    return groupedByKey(initiativeIds, found.map(toFunder), (f) => f.initiativeId);
  });
}
