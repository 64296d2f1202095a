import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { cursorCondition, keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { employeeFromJson, employeeJson } from '../employee/employee.repository.js';
import { buyerScope, type BuyerScope } from './market-policy.js';
import type { BidStatus } from './market.enums.js';
import type { Bid } from './models/market.models.js';

/** Bid columns over `bid b JOIN need n`: the cost uses the need's weeks. */
export const BID_COLUMNS = `b.id, b.seq, b.need_id AS "needId", b.bidder_id AS "bidderId",
  b.hours_per_week AS "hoursPerWeek", b.rate_per_hour AS "ratePerHour", b.message, b.status,
  b.decision_note AS "decisionNote", b.created_at AS "createdAt", b.decided_at AS "decidedAt",
  (b.hours_per_week::bigint * n.weeks * b.rate_per_hour) AS "totalCost"`;

export type BidRow = Omit<Bid, 'seq' | 'totalCost'> & { seq: string; totalCost: string };
export const toBid = (row: BidRow): Bid => ({
  ...row,
  seq: Number(row.seq),
  totalCost: Number(row.totalCost),
});

/**
 * `actsForBuyer` over a need aliased `n`, for the buyers of `scope` (market-policy's
 * `buyerScope`): the policy decides who acts for whom, this only says it in SQL.
 */
export function actsForBuyerCondition(scope: BuyerScope, params: SqlParams): string {
  const teams = params.add(scope.teamIds);
  const initiatives = params.add(scope.initiativeIds);
  return `((n.buyer_kind = 'TEAM' AND n.buyer_id = ANY(${teams}::uuid[]))
        OR (n.buyer_kind = 'INITIATIVE' AND n.buyer_id = ANY(${initiatives}::uuid[])))`;
}

/** A page of one need's bids, as seen by one actor. */
export interface BidsPage {
  needId: string;
  first: number;
  after?: string;
  status?: BidStatus;
  actor: Actor;
}

/** What a new bid is made of. */
export interface NewBid {
  needId: string;
  bidderId: string;
  hoursPerWeek: number;
  ratePerHour: number;
  message: string;
}

/** The `bid` and `bid_skill` tables. */
@Injectable()
export class BidRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a PENDING bid. Fails on bid_one_live_per_bidder_key if the bidder has a live one. */
  async insert(tx: Db, bid: NewBid): Promise<Bid> {
    const [row] = await rows<BidRow>(
      tx,
      `WITH b AS (
         INSERT INTO bid (need_id, bidder_id, hours_per_week, rate_per_hour, message)
         VALUES ($1, $2, $3, $4, $5) RETURNING *
       )
       SELECT ${BID_COLUMNS} FROM b JOIN need n ON n.id = b.need_id`,
      [bid.needId, bid.bidderId, bid.hoursPerWeek, bid.ratePerHour, bid.message],
    );
    return toBid(row);
  }

  /** The skills a bid offers, in one statement. */
  async addSkills(tx: Db, bidId: string, skillIds: readonly string[]): Promise<void> {
    await tx.query(`INSERT INTO bid_skill (bid_id, skill_id) SELECT $1, unnest($2::uuid[])`, [
      bidId,
      skillIds,
    ]);
  }

  /** The bid, locked FOR UPDATE (its need is not locked by this). */
  async lock(tx: Db, bidId: string): Promise<Bid | undefined> {
    const row = await firstRow<BidRow>(
      tx,
      `SELECT ${BID_COLUMNS} FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = $1 FOR UPDATE OF b`,
      [bidId],
    );
    return row && toBid(row);
  }

  /** Records a decision on one bid: its new status, the note and when. */
  async setStatus(tx: Db, bidId: string, status: BidStatus, note: string | null): Promise<Bid> {
    const [row] = await rows<BidRow>(
      tx,
      `WITH b AS (
         UPDATE bid SET status = $2, decision_note = $3, decided_at = now() WHERE id = $1 RETURNING *
       )
       SELECT ${BID_COLUMNS} FROM b JOIN need n ON n.id = b.need_id`,
      [bidId, status, note],
    );
    return toBid(row);
  }

  /** Rejects every PENDING bid of the need with `note`; how many there were. */
  async rejectPending(tx: Db, needId: string, note: string): Promise<number> {
    const rejected = await rows<{ id: string }>(
      tx,
      `UPDATE bid SET status = 'REJECTED', decision_note = $2, decided_at = now()
        WHERE need_id = $1 AND status = 'PENDING' RETURNING id`,
      [needId, note],
    );
    return rejected.length;
  }

  /** Withdraws every PENDING bid of the bidder (a leaver) with `note`; their ids. */
  async withdrawPendingOf(tx: Db, bidderId: string, note: string): Promise<string[]> {
    const withdrawn = await rows<{ id: string }>(
      tx,
      `UPDATE bid SET status = 'WITHDRAWN', decision_note = $2, decided_at = now()
        WHERE bidder_id = $1 AND status = 'PENDING' RETURNING id`,
      [bidderId, note],
    );
    return withdrawn.map((row) => row.id);
  }

  /** The bid, or undefined. Reads through `db` (a replay's transaction) when given. */
  async findById(id: string, db: Db = this.dataSource): Promise<Bid | undefined> {
    const row = await firstRow<BidRow>(
      db,
      `SELECT ${BID_COLUMNS} FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = $1`,
      [id],
    );
    return row && toBid(row);
  }

  /**
   * Pages of several needs' bids in one statement, each showing only what the actor may see:
   * every bid to the buyer's leads, one's own bid to a bidder, nothing to anyone else.
   */
  readonly visiblePage = new BatchLoader<BidsPage, Bid[], string>(
    async (pages) => {
      const groups = new Map<string, BidsPage[]>();
      for (const page of pages) {
        const key = `${page.first}:${page.after ?? ''}:${page.status ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), page]);
      }
      const results = new Map<BidsPage, Bid[]>();
      for (const group of groups.values()) {
        const { first, after, status, actor } = group[0];
        const needIds = group.map((page) => page.needId);
        const params = new SqlParams();
        const needs = params.add(needIds);
        const limit = params.add(first + 1);
        const visible = `(b.bidder_id = ${params.add(actor.id)} OR ${actsForBuyerCondition(buyerScope(actor), params)})`;
        const statusFilter = status ? `b.status = ${params.add(status)}` : 'TRUE';
        const cursor = cursorCondition([{ sql: 'b.seq', holds: 'bigint' }], after, params);
        // The bidders are read in the same statement, once the page is cut.
        const found = await rows<BidRow & { bidder: Record<string, unknown> }>(
          this.dataSource,
          `SELECT numbered.*, ${employeeJson('numbered."bidderId"')} AS bidder FROM (
             SELECT ${BID_COLUMNS}, row_number() OVER (PARTITION BY b.need_id ORDER BY b.seq) AS position
               FROM bid b JOIN need n ON n.id = b.need_id
              WHERE b.need_id = ANY(${needs}) AND ${visible} AND ${statusFilter} AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        );
        const bids = found.map((row) => ({ ...toBid(row), bidder: employeeFromJson(row.bidder) }));
        const byNeed = groupedByKey(needIds, bids, (bid) => bid.needId);
        group.forEach((page, i) => results.set(page, byNeed[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    {
      cacheKeyFn: (page) =>
        `${page.needId}:${page.first}:${page.after ?? ''}:${page.status ?? ''}:${page.actor.id}`,
    },
  );

  /** How many bids each need has had, whoever placed them. */
  readonly countByNeed = new BatchLoader<string, number>(async (needIds) => {
    const found = await rows<{ needId: string; count: number }>(
      this.dataSource,
      `SELECT need_id AS "needId", count(*)::int AS count FROM bid WHERE need_id = ANY($1) GROUP BY need_id`,
      [[...needIds]],
    );
    return byKey(needIds, found, (r) => r.needId, undefined).map((r) => r?.count ?? 0);
  });

  /** Key: `${needId}:${bidderId}`: that bidder's live or latest bid on the need. */
  readonly latestOfBidder = new BatchLoader<string, Bid | null>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const found = await rows<BidRow>(
      this.dataSource,
      `SELECT DISTINCT ON (b.need_id, b.bidder_id) ${BID_COLUMNS}
         FROM bid b JOIN need n ON n.id = b.need_id
        WHERE (b.need_id, b.bidder_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
        ORDER BY b.need_id, b.bidder_id, b.seq DESC`,
      [pairs.map(([need]) => need), pairs.map(([, bidder]) => bidder)],
    );
    return byKey(keys, found.map(toBid), (bid) => `${bid.needId}:${bid.bidderId}`);
  });

  readonly byId = new BatchLoader<string, Bid | null>(async (ids) => {
    const found = await rows<BidRow>(
      this.dataSource,
      `SELECT ${BID_COLUMNS} FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toBid), (bid) => bid.id);
  });

  /** The skills each bid offers, by name. */
  readonly skillIds = new BatchLoader<string, string[]>(async (bidIds) => {
    const found = await rows<{ bidId: string; skillId: string }>(
      this.dataSource,
      `SELECT s.bid_id AS "bidId", s.skill_id AS "skillId" FROM bid_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.bid_id = ANY($1) ORDER BY k.normalized_name`,
      [[...bidIds]],
    );
    return groupedByKey(bidIds, found, (r) => r.bidId).map((group) => group.map((r) => r.skillId));
  });

  /** An employee's own bids, newest first. */
  pageOfBidder(
    bidderId: string,
    first: number,
    after?: string,
    status?: BidStatus,
  ): Promise<ConnectionResult<Bid>> {
    const params = new SqlParams();
    const where = [`b.bidder_id = ${params.add(bidderId)}`];
    if (status) where.push(`b.status = ${params.add(status)}`);
    return keysetPage<BidRow, Bid>((sql, p) => this.dataSource.query(sql, p), {
      select: BID_COLUMNS,
      from: 'bid b JOIN need n ON n.id = b.need_id',
      where,
      params,
      orderBy: [{ sql: 'b.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (bid) => [bid.seq],
      map: toBid,
      first,
      after,
    });
  }
}
