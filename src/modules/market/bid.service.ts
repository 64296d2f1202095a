import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
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
import { Clock } from '../../common/clock/clock.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { CapacityService } from '../employee/capacity.service.js';
import { EmployeeService } from '../employee/employee.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import { BidRepository } from './bid.repository.js';
import type { AcceptBidInput, PlaceBidInput, RejectBidInput } from './dto/market-actions.input.js';
import { EngagementRepository } from './engagement.repository.js';
import { MarketSettingsService } from './market-settings.service.js';
import {
  actsForBuyer,
  exceedsNeedRate,
  isOnBuyingSide,
  mayAcceptBid,
  mayWithdraw,
  remainingHoursPerWeek,
} from './market-policy.js';
import { BidStatus, BuyerKind, NeedStatus } from './market.enums.js';
import type { Bid, Engagement, Need } from './models/market.models.js';
import { NeedRepository } from './need.repository.js';
import { WorkLockRepository } from './work-lock.repository.js';
import { weekStartOf } from './timesheet-calendar.js';

export type { BidsPage } from './bid.repository.js';

export interface AcceptBidResult {
  bid: Bid;
  engagement: Engagement;
  need: Need;
  transfer: Transfer;
}

export const bidPlacedTopic = (needId: string): string => `bidPlaced:${needId}`;

export interface BidPlacedEvent {
  bidId: string;
}

/** Bids: placing, withdrawing, rejecting and accepting them, and reading them. */
@Injectable()
export class BidService {
  constructor(
    private readonly bids: BidRepository,
    private readonly needs: NeedRepository,
    private readonly workLocks: WorkLockRepository,
    private readonly engagements: EngagementRepository,
    private readonly ledger: LedgerService,
    private readonly capacity: CapacityService,
    private readonly employees: EmployeeService,
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeService,
    private readonly clock: Clock,
    private readonly marketSettings: MarketSettingsService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /**
   * Pages of several needs' bids in one statement, each showing only what the actor may see:
   * every bid to the buyer's leads, one's own bid to a bidder, nothing to anyone else.
   */
  get bidsPage(): BidRepository['visiblePage'] {
    return this.bids.visiblePage;
  }
  /** How many bids each need has had, whoever placed them (a public figure). */
  get bidCount(): BidRepository['countByNeed'] {
    return this.bids.countByNeed;
  }
  /** Key: `${needId}:${bidderId}`: that bidder's live or latest bid on the need. */
  get latestBidOf(): BidRepository['latestOfBidder'] {
    return this.bids.latestOfBidder;
  }
  get byId(): BidRepository['byId'] {
    return this.bids.byId;
  }
  get skillIdsByBid(): BidRepository['skillIds'] {
    return this.bids.skillIds;
  }

  async place(input: PlaceBidInput, actor: Actor): Promise<Bid> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      // SHARE: the need cannot be closed or change its terms while the bid goes in.
      const need = await this.needs.lock(tx, input.needId, 'SHARE', 'needId');
      if (need.status !== NeedStatus.OPEN)
        throw invalidTransition(`The need is ${need.status}: it takes no bids`);
      if (isOnBuyingSide(actor, need)) throw forbidden("You cannot bid on your own team's need");
      // The need's rate is its ceiling; the SHARE lock keeps it from changing until we commit.
      if (exceedsNeedRate(input.ratePerHour, need)) {
        throw badInput(
          'ratePerHour',
          `ratePerHour: the need pays at most ${need.ratePerHour} credits an hour; you asked ${input.ratePerHour}`,
        );
      }
      await this.marketSettings.refuseAboveMaximum(tx, input.ratePerHour);
      const remaining = remainingHoursPerWeek(need);
      if (input.hoursPerWeek > remaining) {
        throw conflict(`The need has ${remaining} hours a week left to fill`, 'hoursPerWeek');
      }
      const spare = await this.capacity.spareHours(tx, actor.id);
      if (input.hoursPerWeek > spare) {
        throw capacityExceeded(
          `You have ${spare} spare hours a week; this bid offers ${input.hoursPerWeek}`,
        );
      }
      const skillIds = await this.ownSkills(tx, actor.id, input.skills);
      let bid: Bid;
      try {
        bid = await this.bids.insert(tx, {
          needId: need.id,
          bidderId: actor.id,
          hoursPerWeek: input.hoursPerWeek,
          ratePerHour: input.ratePerHour,
          message: input.message,
        });
      } catch (error) {
        if (isConstraintViolation(error, 'bid_one_live_per_bidder_key')) {
          throw conflict('You already have a live bid on this need', 'needId');
        }
        throw error;
      }
      if (skillIds.length > 0) await this.bids.addSkills(tx, bid.id, skillIds);
      await tx.record({
        action: 'bid.place',
        subjectType: 'Bid',
        subjectId: bid.id,
        payload: {
          needId: need.id,
          hoursPerWeek: input.hoursPerWeek,
          ratePerHour: input.ratePerHour,
          skills: input.skills,
        },
      });
      // After commit, so that subscribers can read the bid they are told about.
      tx.afterCommit(() =>
        this.pubSub.publish(bidPlacedTopic(bid.needId), {
          bidId: bid.id,
        } satisfies BidPlacedEvent),
      );
      return bid;
    });
  }

  /** The ids of the bidder's own skills named in the bid; a skill they do not have is bad input. */
  private async ownSkills(db: Db, employeeId: string, names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const normalized = names.map(normalizeSkillName);
    const held = await this.employees.heldSkillIds(db, employeeId, normalized);
    const ids = new Set<string>();
    normalized.forEach((name, index) => {
      const id = held.get(name);
      const field = `skills.${index}`;
      if (!id) throw badInput(field, `${field}: "${names[index]}" is not one of your skills`);
      ids.add(id);
    });
    return [...ids];
  }

  async withdraw(bidId: string, actor: Actor): Promise<Bid> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const bid = await this.lockBid(tx, bidId);
      if (!mayWithdraw(actor, bid)) throw forbidden('Only the bidder can withdraw a bid');
      if (bid.status !== BidStatus.PENDING)
        throw invalidTransition(`The bid is ${bid.status}: it cannot be withdrawn`);
      const withdrawn = await this.bids.setStatus(tx, bidId, BidStatus.WITHDRAWN, null);
      await tx.record({
        action: 'bid.withdraw',
        subjectType: 'Bid',
        subjectId: bidId,
        payload: { needId: bid.needId },
      });
      return withdrawn;
    });
  }

  async reject(input: RejectBidInput, actor: Actor): Promise<Bid> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const { need, bid } = await this.workLocks.bid(tx, input.bidId, 'SHARE');
      if (!actsForBuyer(actor, need))
        throw forbidden('Only a lead of the buying team can reject bids');
      if (bid.status !== BidStatus.PENDING)
        throw invalidTransition(`The bid is ${bid.status}: it cannot be rejected`);
      const note = input.reason ?? null;
      const rejected = await this.bids.setStatus(tx, bid.id, BidStatus.REJECTED, note);
      await tx.record({
        action: 'bid.reject',
        subjectType: 'Bid',
        subjectId: bid.id,
        payload: { needId: need.id, reason: note },
      });
      return rejected;
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
            const engagement = await this.engagements.findById(engagementId, tx);
            if (!engagement) throw notFound('Engagement');
            const need = await this.needs.findById(engagement.needId, tx);
            if (!need) throw notFound('Need');
            return {
              engagement,
              bid: await this.findById(engagement.bidId, tx),
              need,
              transfer: await this.ledger.transferById(tx, transferId),
            };
          },
        },
      },
      (tx) => this.acceptNow(tx, input, actor),
    );
  }

  private async acceptNow(tx: Tx, input: AcceptBidInput, actor: Actor): Promise<AcceptBidResult> {
    // Lock order everywhere: need, then bid, then employee, then accounts (by id).
    const { need, bid } = await this.workLocks.bid(tx, input.bidId, 'UPDATE');
    if (!mayAcceptBid(actor, need, bid))
      throw forbidden('Only a lead of the buying team can accept bids, and never their own');
    if (bid.status !== BidStatus.PENDING)
      throw invalidTransition(`The bid is ${bid.status}: it cannot be accepted`);
    if (need.status !== NeedStatus.OPEN)
      throw invalidTransition(`The need is ${need.status}: it takes no more bids`);
    // Rates only rise and bids are checked when placed, so only a bid from before budgets were
    // ceilings can be caught here; the need's lock keeps its rate still until we commit.
    if (exceedsNeedRate(bid.ratePerHour, need)) {
      throw conflict(
        `The bid asks ${bid.ratePerHour} credits an hour, more than the need's ${need.ratePerHour}: raise the need's rate first`,
      );
    }
    const remaining = remainingHoursPerWeek(need);
    if (bid.hoursPerWeek > remaining) {
      throw conflict(
        `The need has ${remaining} hours a week left; the bid offers ${bid.hoursPerWeek}`,
      );
    }

    let updatedNeed: Need;
    try {
      updatedNeed = await this.needs.addAcceptedHours(tx, need.id, bid.hoursPerWeek);
    } catch (error) {
      if (isConstraintViolation(error, 'need_accepted_hours_check')) {
        throw conflict('The need does not have that many hours left');
      }
      throw error;
    }
    await this.capacity.commit(tx, bid.bidderId, bid.hoursPerWeek);
    const transfer = await this.ledger.transfer(tx, {
      fromAccountId: need.buyerAccountId,
      toAccountId: need.escrowAccountId,
      amount: bid.totalCost,
      kind: TransferKind.ESCROW_DEPOSIT,
      idempotencyKey: input.idempotencyKey,
      memo: `Escrow for "${need.title}"`,
    });
    if (need.buyerKind === BuyerKind.INITIATIVE) {
      await this.initiatives.addSpending(tx, need.buyerId, bid.totalCost);
    }
    const acceptedBid = await this.bids.setStatus(tx, bid.id, BidStatus.ACCEPTED, null);
    const engagement = await this.engagements.insert(tx, {
      bidId: bid.id,
      needId: need.id,
      employeeId: bid.bidderId,
      hoursPerWeek: bid.hoursPerWeek,
      weeks: need.weeks,
      ratePerHour: bid.ratePerHour,
      startsOn: weekStartOf(this.clock.now()),
    });
    const otherBidsRejected =
      updatedNeed.status === NeedStatus.FILLED
        ? await this.bids.rejectPending(tx, need.id, 'The need was filled')
        : 0;
    await tx.record({
      action: 'bid.accept',
      subjectType: 'Bid',
      subjectId: bid.id,
      payload: {
        needId: need.id,
        engagementId: engagement.id,
        escrowed: bid.totalCost,
        transferId: transfer.id,
        needStatus: updatedNeed.status,
        otherBidsRejected,
      },
    });
    return { bid: acceptedBid, engagement, need: updatedNeed, transfer };
  }

  private async lockBid(tx: Db, bidId: string): Promise<Bid> {
    const bid = await this.bids.lock(tx, bidId);
    if (!bid) throw notFound('Bid', 'bidId');
    return bid;
  }

  async findById(id: string, db?: Db): Promise<Bid> {
    const bid = await this.bids.findById(id, db);
    if (!bid) throw notFound('Bid');
    return bid;
  }

  /** An employee's own bids, newest first. */
  bidsOf(
    employeeId: string,
    first: number,
    after?: string,
    status?: BidStatus,
  ): Promise<ConnectionResult<Bid>> {
    return this.bids.pageOfBidder(employeeId, first, after, status);
  }
}
