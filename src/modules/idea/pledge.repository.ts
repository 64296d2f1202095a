import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { Pledge } from './models/idea.models.js';

const PLEDGE_COLUMNS = `p.id, p.idea_id AS "ideaId", p.team_id AS "teamId", p.pledged_by_id AS "pledgedById",
  p.amount, p.created_at AS "pledgedAt"`;

type PledgeRow = Omit<Pledge, 'amount'> & { amount: string };
const toPledge = (row: PledgeRow): Pledge => ({ ...row, amount: Number(row.amount) });

/** A pledge about to be made: the credits have moved by `transferId`. */
export interface NewPledge {
  ideaId: string;
  teamId: string;
  pledgedById: string;
  amount: number;
  transferId: string;
}

/** What a team pledged to an idea, in total. */
export interface Funder {
  teamId: string;
  amount: number;
}

/** One pledge to pay back, and the account of the team that made it. */
export interface PledgeToRefund {
  teamId: string;
  amount: number;
  accountId: string;
}

/** The `pledge` table: credits teams pledged to ideas. */
@Injectable()
export class PledgeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts the pledge unless the idea has `max` pledges already (undefined then). Counted in
   * the same statement: under the idea's row lock, concurrent pledges cannot pass the maximum.
   */
  async insertWithin(tx: Db, pledge: NewPledge, max: number): Promise<Pledge | undefined> {
    const row = await firstRow<PledgeRow>(
      tx,
      `INSERT INTO pledge AS p (idea_id, team_id, pledged_by_id, amount, transfer_id)
           SELECT $1::uuid, $2::uuid, $3::uuid, $4::bigint, $5::uuid
            WHERE (SELECT count(*) FROM pledge WHERE idea_id = $1) < $6
           RETURNING ${PLEDGE_COLUMNS}`,
      [pledge.ideaId, pledge.teamId, pledge.pledgedById, pledge.amount, pledge.transferId, max],
    );
    return row && toPledge(row);
  }

  /** The pledge and the transfer that paid it (to answer a replayed pledge). */
  async findWithTransfer(
    id: string,
    db: Db = this.dataSource,
  ): Promise<{ pledge: Pledge; transferId: string } | undefined> {
    const row = await firstRow<PledgeRow & { transferId: string }>(
      db,
      `SELECT ${PLEDGE_COLUMNS}, p.transfer_id AS "transferId" FROM pledge p WHERE p.id = $1`,
      [id],
    );
    if (!row) return undefined;
    const { transferId, ...pledge } = row;
    return { pledge: toPledge(pledge), transferId };
  }

  /** Each team that pledged to the idea, with its total. */
  async fundersOf(tx: Db, ideaId: string): Promise<Funder[]> {
    const funders = await rows<{ teamId: string; amount: string }>(
      tx,
      `SELECT team_id AS "teamId", sum(amount)::text AS amount FROM pledge WHERE idea_id = $1 GROUP BY team_id`,
      [ideaId],
    );
    return funders.map((f) => ({ teamId: f.teamId, amount: Number(f.amount) }));
  }

  /** The idea's pledges, oldest first, each with the TEAM account it is refunded to. */
  async toRefund(tx: Db, ideaId: string): Promise<PledgeToRefund[]> {
    const pledges = await rows<{ teamId: string; amount: string; accountId: string }>(
      tx,
      `SELECT p.team_id AS "teamId", p.amount::text AS amount, a.id AS "accountId"
         FROM pledge p JOIN account a ON a.kind = 'TEAM' AND a.owner_id = p.team_id
        WHERE p.idea_id = $1 ORDER BY p.seq`,
      [ideaId],
    );
    return pledges.map((p) => ({ ...p, amount: Number(p.amount) }));
  }

  /** An idea's pledges, oldest first. */
  readonly byIdea = new BatchLoader<string, Pledge[]>(async (ideaIds) => {
    const found = await rows<PledgeRow>(
      this.dataSource,
      `SELECT ${PLEDGE_COLUMNS} FROM pledge p WHERE p.idea_id = ANY($1) ORDER BY p.seq`,
      [[...ideaIds]],
    );
    return groupedByKey(ideaIds, found.map(toPledge), (p) => p.ideaId);
  });
}
