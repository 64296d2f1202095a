import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  capacityExceeded,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { cursorCondition, keysetPage, SqlParams } from '../../database/keyset.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { modifiedRows, type Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { CapacityService } from '../employee/capacity.service.js';
import { EmployeeService } from '../employee/employee.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { TransferEntity } from '../ledger/transfer.entity.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import type { AcceptBidInput, PlaceBidInput, RejectBidInput } from './dto/market-actions.input.js';
import { ENGAGEMENT_COLUMNS, type EngagementRow, toEngagement } from './engagement.service.js';
import { actsForBuyer, actsForBuyerSql, isOnBuyingSide } from './market-policy.js';
import { BidStatus, BuyerKind, NeedStatus } from './market.enums.js';
import type { Bid, Engagement, Need } from './models/market.models.js';
import { NeedService, type NeedRow, NEED_COLUMNS, toNeed } from './need.service.js';

/** Bid columns over `bid b JOIN need n`: the cost uses the need's weeks. */
export const BID_COLUMNS = `b.id, b.seq, b.need_id AS "needId", b.bidder_id AS "bidderId",
  b.hours_per_week AS "hoursPerWeek", b.rate_per_hour AS "ratePerHour", b.message, b.status,
  b.decision_note AS "decisionNote", b.created_at AS "createdAt", b.decided_at AS "decidedAt",
  (b.hours_per_week::bigint * n.weeks * b.rate_per_hour) AS "totalCost"`;

type BidRow = Omit<Bid, 'seq' | 'totalCost'> & { seq: string; totalCost: string };
const toBid = (row: BidRow): Bid => ({
  ...row,
  seq: Number(row.seq),
  totalCost: Number(row.totalCost),
});

/** A page of one need's bids, as seen by one actor. */
export interface BidsPage {
  needId: string;
  first: number;
  after?: string;
  status?: BidStatus;
  actor: Actor;
}

export interface AcceptBidResult {
  bid: Bid;
  engagement: Engagement;
  need: Need;
  transfer: TransferEntity;
}

export const bidPlacedTopic = (needId: string): string => `bidPlaced:${needId}`;

export interface BidPlacedEvent {
  bidId: string;
}

/** Bids: placing, withdrawing, rejecting and accepting them, and reading them. */
@Injectable()
export class BidService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly needs: NeedService,
    private readonly ledger: LedgerService,
    private readonly capacity: CapacityService,
    private readonly employees: EmployeeService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly initiatives: InitiativeService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  async place(input: PlaceBidInput, actor: Actor): Promise<Bid> {
    const bid = await this.transactions.run(async (manager) => {
      // SHARE: the need cannot be closed or change its terms while the bid goes in.
      const need = await this.needs.lock(manager, input.needId, 'SHARE', 'input.needId');
      if (need.status !== NeedStatus.OPEN)
        throw invalidTransition(`The need is ${need.status}: it takes no bids`);
      if (isOnBuyingSide(actor, need)) throw forbidden("You cannot bid on your own team's need");
      const remaining = need.hoursPerWeek - need.acceptedHoursPerWeek;
      if (input.hoursPerWeek > remaining) {
        throw conflict(`The need has ${remaining} hours a week left to fill`, 'input.hoursPerWeek');
      }
      const spare = await this.capacity.spareHours(manager, actor.id);
      if (input.hoursPerWeek > spare) {
        throw capacityExceeded(
          `You have ${spare} spare hours a week; this bid offers ${input.hoursPerWeek}`,
        );
      }
      const skillIds = await this.ownSkills(manager, actor.id, input.skills);
      let row: BidRow;
      try {
        [row] = (await manager.query(
          `WITH b AS (
             INSERT INTO bid (need_id, bidder_id, hours_per_week, rate_per_hour, message)
             VALUES ($1, $2, $3, $4, $5) RETURNING *
           )
           SELECT ${BID_COLUMNS} FROM b JOIN need n ON n.id = b.need_id`,
          [need.id, actor.id, input.hoursPerWeek, input.ratePerHour, input.message],
        )) as BidRow[];
      } catch (error) {
        if (isConstraintViolation(error, 'bid_one_live_per_bidder_key')) {
          throw conflict('You already have a live bid on this need', 'input.needId');
        }
        throw error;
      }
      if (skillIds.length > 0) {
        await manager.query(
          `INSERT INTO bid_skill (bid_id, skill_id) SELECT $1, unnest($2::uuid[])`,
          [row.id, skillIds],
        );
      }
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'bid.place',
        subjectType: 'Bid',
        subjectId: row.id,
        payload: {
          needId: need.id,
          hoursPerWeek: input.hoursPerWeek,
          ratePerHour: input.ratePerHour,
          skills: input.skills,
        },
      });
      return toBid(row);
    });
    // After commit, so that subscribers can read the bid they are told about.
    await this.pubSub.publish(bidPlacedTopic(bid.needId), {
      bidId: bid.id,
    } satisfies BidPlacedEvent);
    return bid;
  }

  /** The ids of the bidder's own skills named in the bid; a skill they do not have is bad input. */
  private async ownSkills(
    manager: EntityManager,
    employeeId: string,
    names: string[],
  ): Promise<string[]> {
    const normalized = names.map(normalizeSkillName);
    const held = await this.employees.heldSkillIds(manager, employeeId, normalized);
    const ids = new Set<string>();
    normalized.forEach((name, index) => {
      const id = held.get(name);
      const field = `input.skills.${index}`;
      if (!id) throw badInput(field, `${field}: "${names[index]}" is not one of your skills`);
      ids.add(id);
    });
    return [...ids];
  }

  async withdraw(bidId: string, actor: Actor): Promise<Bid> {
    return this.transactions.run(async (manager) => {
      const bid = await this.lockBid(manager, bidId);
      if (bid.bidderId !== actor.id) throw forbidden('Only the bidder can withdraw a bid');
      if (bid.status !== BidStatus.PENDING)
        throw invalidTransition(`The bid is ${bid.status}: it cannot be withdrawn`);
      const updated = await this.decide(manager, bidId, BidStatus.WITHDRAWN, null);
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'bid.withdraw',
        subjectType: 'Bid',
        subjectId: bidId,
        payload: { needId: bid.needId },
      });
      return updated;
    });
  }

  async reject(input: RejectBidInput, actor: Actor): Promise<Bid> {
    return this.transactions.run(async (manager) => {
      const need = await this.needs.lock(manager, await this.needOf(manager, input.bidId), 'SHARE');
      const bid = await this.lockBid(manager, input.bidId);
      if (!actsForBuyer(actor, need))
        throw forbidden('Only a lead of the buying team can reject bids');
      if (bid.status !== BidStatus.PENDING)
        throw invalidTransition(`The bid is ${bid.status}: it cannot be rejected`);
      const updated = await this.decide(manager, bid.id, BidStatus.REJECTED, input.reason ?? null);
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'bid.reject',
        subjectType: 'Bid',
        subjectId: bid.id,
        payload: { needId: need.id, reason: input.reason ?? null },
      });
      return updated;
    });
  }

  /**
   * Makes a bid an engagement: moves hoursPerWeek × weeks × rate from the buyer to the need's
   * escrow and commits the bidder's hours. Every check is enforced inside the transaction, by
   * row locks (need, bid) and constraints (account balance, employee capacity, need hours),
   * so concurrent acceptances can neither overspend, overbook a person, nor overfill a need.
   */
  async accept(input: AcceptBidInput, actor: Actor): Promise<AcceptBidResult> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'acceptBid',
          key: input.idempotencyKey,
          request: { bidId: input.bidId },
          remember: (result) => ({
            engagementId: result.engagement.id,
            transferId: result.transfer.id,
          }),
          replay: async (tx, { engagementId, transferId }) => {
            const [engagement] = (await tx.query(
              `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.id = $1`,
              [engagementId],
            )) as EngagementRow[];
            return {
              engagement: toEngagement(engagement),
              bid: await this.findById(engagement.bidId, tx),
              need: await this.needs.findById(engagement.needId, 'id', tx),
              transfer: await this.ledger.transferById(tx.manager, transferId),
            };
          },
        },
      },
      (tx) => this.acceptNow(tx.manager, input, actor),
    );
  }

  private async acceptNow(
    manager: EntityManager,
    input: AcceptBidInput,
    actor: Actor,
  ): Promise<AcceptBidResult> {
    // Lock order everywhere: need, then bid, then employee, then accounts (by id).
    const need = await this.needs.lock(manager, await this.needOf(manager, input.bidId), 'UPDATE');
    const bid = await this.lockBid(manager, input.bidId);
    if (!actsForBuyer(actor, need))
      throw forbidden('Only a lead of the buying team can accept bids');
    if (bid.status !== BidStatus.PENDING)
      throw invalidTransition(`The bid is ${bid.status}: it cannot be accepted`);
    if (need.status !== NeedStatus.OPEN)
      throw invalidTransition(`The need is ${need.status}: it takes no more bids`);
    const remaining = need.hoursPerWeek - need.acceptedHoursPerWeek;
    if (bid.hoursPerWeek > remaining) {
      throw conflict(
        `The need has ${remaining} hours a week left; the bid offers ${bid.hoursPerWeek}`,
      );
    }

    let updatedNeed: NeedRow;
    try {
      [updatedNeed] = await modifiedRows<NeedRow>(
        manager,
        `UPDATE need n SET accepted_hours_per_week = accepted_hours_per_week + $2,
                status = CASE WHEN accepted_hours_per_week + $2 = hours_per_week THEN 'FILLED' ELSE status END::need_status,
                filled_at = CASE WHEN accepted_hours_per_week + $2 = hours_per_week THEN now() ELSE filled_at END
          WHERE id = $1 RETURNING ${NEED_COLUMNS}`,
        [need.id, bid.hoursPerWeek],
      );
    } catch (error) {
      if (isConstraintViolation(error, 'need_accepted_hours_check')) {
        throw conflict('The need does not have that many hours left');
      }
      throw error;
    }
    await this.capacity.commit(manager, bid.bidderId, bid.hoursPerWeek);
    const transfer = await this.ledger.transfer(manager, {
      fromAccountId: need.buyerAccountId,
      toAccountId: need.escrowAccountId,
      amount: bid.totalCost,
      kind: TransferKind.ESCROW_DEPOSIT,
      idempotencyKey: input.idempotencyKey,
      memo: `Escrow for "${need.title}"`,
    });
    if (need.buyerKind === BuyerKind.INITIATIVE) {
      await this.initiatives.addSpending(manager, need.buyerId, bid.totalCost);
    }
    const acceptedBid = await this.decide(manager, bid.id, BidStatus.ACCEPTED, null);
    const [engagement] = (await manager.query(
      `INSERT INTO engagement AS g (bid_id, need_id, employee_id, hours_per_week, weeks, rate_per_hour, total_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${ENGAGEMENT_COLUMNS}`,
      [
        bid.id,
        need.id,
        bid.bidderId,
        bid.hoursPerWeek,
        need.weeks,
        bid.ratePerHour,
        bid.hoursPerWeek * need.weeks,
      ],
    )) as EngagementRow[];
    let closedBids = 0;
    if (updatedNeed.status === NeedStatus.FILLED) {
      const rejected = await modifiedRows(
        manager,
        `UPDATE bid SET status = 'REJECTED', decision_note = 'The need was filled', decided_at = now()
          WHERE need_id = $1 AND status = 'PENDING' RETURNING id`,
        [need.id],
      );
      closedBids = rejected.length;
    }
    await this.audit.record(manager, {
      actorId: actor.id,
      action: 'bid.accept',
      subjectType: 'Bid',
      subjectId: bid.id,
      payload: {
        needId: need.id,
        engagementId: engagement.id,
        escrowed: bid.totalCost,
        transferId: transfer.id,
        needStatus: updatedNeed.status,
        otherBidsRejected: closedBids,
      },
    });
    return {
      bid: acceptedBid,
      engagement: toEngagement(engagement),
      need: toNeed(updatedNeed),
      transfer,
    };
  }

  private async needOf(manager: EntityManager, bidId: string): Promise<string> {
    const [row] = (await manager.query(`SELECT need_id AS "needId" FROM bid WHERE id = $1`, [
      bidId,
    ])) as {
      needId: string;
    }[];
    if (!row) throw notFound('Bid', 'input.bidId');
    return row.needId;
  }

  private async lockBid(manager: EntityManager, bidId: string): Promise<Bid> {
    const [row] = (await manager.query(
      `SELECT ${BID_COLUMNS} FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = $1 FOR UPDATE OF b`,
      [bidId],
    )) as BidRow[];
    if (!row) throw notFound('Bid', 'input.bidId');
    return toBid(row);
  }

  private async decide(
    manager: EntityManager,
    bidId: string,
    status: BidStatus,
    note: string | null,
  ): Promise<Bid> {
    const [row] = (await manager.query(
      `WITH b AS (
         UPDATE bid SET status = $2, decision_note = $3, decided_at = now() WHERE id = $1 RETURNING *
       )
       SELECT ${BID_COLUMNS} FROM b JOIN need n ON n.id = b.need_id`,
      [bidId, status, note],
    )) as BidRow[];
    return toBid(row);
  }

  async findById(id: string, db: Db = this.dataSource): Promise<Bid> {
    const [row] = (await db.query(
      `SELECT ${BID_COLUMNS} FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = $1`,
      [id],
    )) as BidRow[];
    if (!row) throw notFound('Bid');
    return toBid(row);
  }

  /**
   * Pages of several needs' bids in one statement, each showing only what the actor may see:
   * every bid to the buyer's leads, one's own bid to a bidder, nothing to anyone else.
   */
  readonly bidsPage = new BatchLoader<BidsPage, Bid[], string>(
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
        const visible = `(b.bidder_id = ${params.add(actor.id)} OR ${actsForBuyerSql(actor, params)})`;
        const statusFilter = status ? `b.status = ${params.add(status)}` : 'TRUE';
        const cursor = cursorCondition([{ sql: 'b.seq', holds: 'bigint' }], after, params);
        const rows = (await this.dataSource.query(
          `SELECT * FROM (
             SELECT ${BID_COLUMNS}, row_number() OVER (PARTITION BY b.need_id ORDER BY b.seq) AS position
               FROM bid b JOIN need n ON n.id = b.need_id
              WHERE b.need_id = ANY(${needs}) AND ${visible} AND ${statusFilter} AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        )) as BidRow[];
        const byNeed = groupedByKey(needIds, rows.map(toBid), (bid) => bid.needId);
        group.forEach((page, i) => results.set(page, byNeed[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    {
      cacheKeyFn: (page) =>
        `${page.needId}:${page.first}:${page.after ?? ''}:${page.status ?? ''}:${page.actor.id}`,
    },
  );

  /** How many bids each need has had, whoever placed them (a public figure). */
  readonly bidCount = new BatchLoader<string, number>(async (needIds) => {
    const rows = (await this.dataSource.query(
      `SELECT need_id AS "needId", count(*)::int AS count FROM bid WHERE need_id = ANY($1) GROUP BY need_id`,
      [[...needIds]],
    )) as { needId: string; count: number }[];
    return byKey(needIds, rows, (r) => r.needId, undefined).map((r) => r?.count ?? 0);
  });

  /** Key: `${needId}:${bidderId}`: that bidder's live or latest bid on the need. */
  readonly latestBidOf = new BatchLoader<string, Bid | null>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (b.need_id, b.bidder_id) ${BID_COLUMNS}
         FROM bid b JOIN need n ON n.id = b.need_id
        WHERE (b.need_id, b.bidder_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
        ORDER BY b.need_id, b.bidder_id, b.seq DESC`,
      [pairs.map(([need]) => need), pairs.map(([, bidder]) => bidder)],
    )) as BidRow[];
    return byKey(keys, rows.map(toBid), (bid) => `${bid.needId}:${bid.bidderId}`);
  });

  readonly byId = new BatchLoader<string, Bid | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${BID_COLUMNS} FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = ANY($1)`,
      [[...ids]],
    )) as BidRow[];
    return byKey(ids, rows.map(toBid), (bid) => bid.id);
  });

  readonly skillIdsByBid = new BatchLoader<string, string[]>(async (bidIds) => {
    const rows = (await this.dataSource.query(
      `SELECT s.bid_id AS "bidId", s.skill_id AS "skillId" FROM bid_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.bid_id = ANY($1) ORDER BY k.normalized_name`,
      [[...bidIds]],
    )) as { bidId: string; skillId: string }[];
    return groupedByKey(bidIds, rows, (r) => r.bidId).map((group) => group.map((r) => r.skillId));
  });

  /** An employee's own bids, newest first. */
  bidsOf(
    employeeId: string,
    first: number,
    after?: string,
    status?: BidStatus,
  ): Promise<ConnectionResult<Bid>> {
    const params = new SqlParams();
    const where = [`b.bidder_id = ${params.add(employeeId)}`];
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
