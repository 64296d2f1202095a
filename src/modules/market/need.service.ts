import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { CapacityService } from '../employee/capacity.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import { TeamService } from '../team/team.service.js';
import { BidRepository } from './bid.repository.js';
import type { CloseNeedInput, RaiseNeedRateInput } from './dto/market-actions.input.js';
import type { NeedFilter } from './dto/needs.args.js';
import type { PostNeedInput } from './dto/post-need.input.js';
import { EngagementRepository } from './engagement.repository.js';
import { MarketSettingsService } from './market-settings.service.js';
import { actsForBuyer, raisesNeedRate } from './market-policy.js';
import { BuyerKind, NeedStatus } from './market.enums.js';
import type { Engagement, Need } from './models/market.models.js';
import { NeedRepository } from './need.repository.js';
import { TimeLogRepository } from './time-log.repository.js';

export interface CloseNeedResult {
  need: Need;
  refund: Transfer | null;
}

/** Appends one audit event (as the unit of work's actor, or a given one). */
/** Needs: posting, closing and reading them. */
@Injectable()
export class NeedService {
  constructor(
    private readonly needs: NeedRepository,
    private readonly bids: BidRepository,
    private readonly engagements: EngagementRepository,
    private readonly ledger: LedgerService,
    private readonly skills: SkillService,
    private readonly capacity: CapacityService,
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeService,
    private readonly timeLogs: TimeLogRepository,
    private readonly marketSettings: MarketSettingsService,
    private readonly teams: TeamService,
  ) {}

  get byId(): NeedRepository['byId'] {
    return this.needs.byId;
  }
  get requiredSkills(): NeedRepository['requiredSkills'] {
    return this.needs.requiredSkills;
  }

  /**
   * A new OPEN need with its own (empty) escrow account, bought by a team (posted by one of its
   * leads) or an initiative (posted by its owner, paid from its budget).
   */
  async post(input: PostNeedInput, actor: Actor): Promise<Need> {
    const names = input.requiredSkills.map((s) => normalizeSkillName(s.name));
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        const field = `requiredSkills.${index}.name`;
        throw badInput(field, `${field}: "${input.requiredSkills[index].name}" is listed twice`);
      }
    });
    return this.unitOfWork.run({ actor }, async (tx) => {
      const buyer = await this.buyerOf(tx, input, actor);
      await this.marketSettings.refuseAboveMaximum(tx, input.ratePerHour);
      const needId = randomUUID();
      const escrow = await this.ledger.openAccount(tx, AccountKind.NEED_ESCROW, needId);
      const need = await this.needs.insert(tx, {
        id: needId,
        buyerKind: buyer.kind,
        buyerId: buyer.id,
        buyerAccountId: buyer.accountId,
        escrowAccountId: escrow.id,
        postedById: actor.id,
        title: input.title,
        description: input.description,
        hoursPerWeek: input.hoursPerWeek,
        weeks: input.weeks,
        ratePerHour: input.ratePerHour,
      });
      const skills = await this.skills.ensureSkills(
        tx,
        input.requiredSkills.map((s) => s.name),
      );
      if (input.requiredSkills.length > 0) {
        await this.needs.addRequiredSkills(
          tx,
          needId,
          input.requiredSkills.map((s) => skills.get(normalizeSkillName(s.name))!.id),
          input.requiredSkills.map((s) => s.minLevel),
        );
      }
      await tx.record({
        action: 'need.post',
        subjectType: 'Need',
        subjectId: needId,
        payload: {
          buyerKind: buyer.kind,
          buyerId: buyer.id,
          title: input.title,
          hoursPerWeek: input.hoursPerWeek,
          weeks: input.weeks,
          ratePerHour: input.ratePerHour,
          requiredSkills: input.requiredSkills.map((s) => ({ name: s.name, minLevel: s.minLevel })),
        },
      });
      return need;
    });
  }

  /**
   * Raises an OPEN need's rate (never lowers it), so that bids may ask up to the new rate. No
   * credits move: escrow is taken bid by bid at acceptBid, which checks the buyer's funds then,
   * so a buyer may raise past what it holds today. Bids and engagements keep their own rates.
   */
  async raiseRate(input: RaiseNeedRateInput, actor: Actor): Promise<Need> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      // UPDATE: acceptBid (which compares the bid's rate with the need's) waits for this.
      const need = await this.needs.lock(tx, input.needId, 'UPDATE', 'needId');
      if (!actsForBuyer(actor, need))
        throw forbidden("Only the buyer's leads can raise this need's rate");
      if (need.status !== NeedStatus.OPEN)
        throw invalidTransition(`The need is ${need.status}: its rate no longer changes`);
      if (!raisesNeedRate(need, input.ratePerHour)) {
        throw badInput(
          'ratePerHour',
          `ratePerHour: a need's rate only rises, and it is ${need.ratePerHour} credits an hour now`,
        );
      }
      await this.marketSettings.refuseAboveMaximum(tx, input.ratePerHour);
      const raised = await this.needs.raiseRate(tx, need.id, input.ratePerHour);
      if (!raised) throw conflict("The need's rate changed meanwhile: try again");
      await tx.record({
        action: 'need.raiseRate',
        subjectType: 'Need',
        subjectId: need.id,
        payload: { from: need.ratePerHour, to: raised.ratePerHour },
      });
      return raised;
    });
  }

  /** The buyer named by the input, after checking the actor acts for it. */
  private async buyerOf(
    tx: Tx,
    input: PostNeedInput,
    actor: Actor,
  ): Promise<{ kind: BuyerKind; id: string; accountId: string }> {
    if (!!input.buyerTeamId === !!input.buyerInitiativeId) {
      throw badInput('buyerTeamId', 'buyerTeamId: give either buyerTeamId or buyerInitiativeId');
    }
    if (input.buyerInitiativeId) {
      const initiative = await this.initiatives.lockForBuying(
        tx,
        input.buyerInitiativeId,
        actor,
        'buyerInitiativeId',
      );
      return { kind: BuyerKind.INITIATIVE, id: initiative.id, accountId: initiative.accountId };
    }
    const teamId = input.buyerTeamId!;
    if (!actsForBuyer(actor, { buyerKind: BuyerKind.TEAM, buyerId: teamId })) {
      throw forbidden('Only a lead of the team posts needs for it');
    }
    // SHARE: archiving the team waits for this need, and then closes it.
    await this.teams.lockActive(tx, teamId, 'buyerTeamId', 'SHARE');
    const accountId = await this.ledger.accountIdOf(tx, AccountKind.TEAM, teamId, 'buyerTeamId');
    return { kind: BuyerKind.TEAM, id: teamId, accountId };
  }

  /**
   * Ends a need: active engagements end (their capacity is freed; hours already logged go
   * through their review as usual), pending bids are rejected, and what is left in escrow,
   * beyond what those hours still under review need, goes back to the buyer. A need that
   * never had a bid accepted ends CANCELLED, any other CLOSED.
   */
  async close(input: CloseNeedInput, actor: Actor): Promise<CloseNeedResult> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'closeNeed',
          key: input.idempotencyKey,
          request: { needId: input.needId },
          remember: (result) => ({ refundTransferId: result.refund?.id ?? null }),
          replay: async (tx, { refundTransferId }) => ({
            need: await this.findById(input.needId, 'id', tx),
            refund: refundTransferId ? await this.ledger.transferById(tx, refundTransferId) : null,
          }),
        },
      },
      async (tx) => {
        const need = await this.needs.lock(tx, input.needId, 'UPDATE', 'needId');
        if (!actsForBuyer(actor, need))
          throw forbidden("Only the buyer's leads can close this need");
        if (need.status !== NeedStatus.OPEN && need.status !== NeedStatus.FILLED) {
          throw invalidTransition(`The need is ${need.status} already`);
        }
        return this.closeLocked(tx, need);
      },
    );
  }

  /** Closes a need already locked FOR UPDATE and known to be OPEN or FILLED. */
  private async closeLocked(tx: Tx, need: Need): Promise<CloseNeedResult> {
    const ended = await this.engagements.endActiveOfNeed(tx, need.id);
    for (const engagement of ended) {
      await this.capacity.release(tx, engagement.employeeId, engagement.hoursPerWeek);
    }
    const rejectedBids = await this.bids.rejectPending(tx, need.id, 'The need was closed');
    const refund = await this.returnEscrow(tx, need);
    const closed = await this.needs.markClosed(tx, need.id);
    await tx.record({
      action: 'need.close',
      subjectType: 'Need',
      subjectId: need.id,
      payload: {
        status: closed.status,
        refunded: refund?.amount ?? 0,
        endedEngagements: ended.length,
        rejectedBids,
      },
    });
    return { need: closed, refund };
  }

  /**
   * When a team is archived or an initiative ends: the live (OPEN or FILLED) needs it buys for
   * close as by closeNeed, their escrow returning to its account. Runs in the caller's unit of
   * work, so the events are its actor's; returns what closed.
   */
  async closeNeedsOf(tx: Tx, buyerKind: BuyerKind, buyerId: string): Promise<CloseNeedResult[]> {
    const closed: CloseNeedResult[] = [];
    for (const need of await this.needs.lockLiveOf(tx, buyerKind, buyerId)) {
      closed.push(await this.closeLocked(tx, need));
    }
    return closed;
  }

  /**
   * What is left in the need's escrow back to the buyer's account, except what hours still
   * under review (PENDING or DISPUTED) will need: those are paid or refunded by their review.
   */
  private async returnEscrow(tx: Tx, need: Need): Promise<Transfer | null> {
    const balance = await this.ledger.lockBalance(tx, need.escrowAccountId);
    const underReview = await this.timeLogs.underReviewValueOfNeed(tx, need.id);
    return this.returnUnused(tx, need, balance - underReview, 'unspent escrow');
  }

  /**
   * What is left to do once an engagement of this need has stopped before all its hours were
   * logged (its weeks over, or its worker gone; the caller has set its status): the worker's
   * hours a week are freed and what the hours never logged were worth returns to the buyer.
   * Hours already logged stay in escrow for their review.
   */
  async releaseEngagement(tx: Tx, need: Need, engagement: Engagement): Promise<Transfer | null> {
    await this.capacity.release(tx, engagement.employeeId, engagement.hoursPerWeek);
    const unlogged = (engagement.totalHours - engagement.loggedHours) * engagement.ratePerHour;
    return this.returnUnused(tx, need, unlogged, 'hours never logged');
  }

  /**
   * Returns `amount` of the need's escrow to its buyer (ESCROW_RETURN), e.g. what an
   * engagement's hours never logged were worth; null if there is nothing to return.
   */
  async returnUnused(tx: Tx, need: Need, amount: number, why: string): Promise<Transfer | null> {
    if (amount <= 0) return null;
    if (need.buyerKind === BuyerKind.INITIATIVE) {
      await this.initiatives.addSpending(tx, need.buyerId, -amount);
    }
    return this.ledger.transfer(tx, {
      fromAccountId: need.escrowAccountId,
      toAccountId: need.buyerAccountId,
      amount,
      kind: TransferKind.ESCROW_RETURN,
      memo: `${why[0].toUpperCase()}${why.slice(1)} of "${need.title}"`,
    });
  }

  /** The need, row-locked for the rest of the transaction (SHARE: it must not change; UPDATE: we change it). */
  lock(tx: Db, needId: string, mode: 'SHARE' | 'UPDATE', field = 'needId'): Promise<Need> {
    return this.needs.lock(tx, needId, mode, field);
  }

  /** The need; NOT_FOUND on `field` if there is none. */
  async findById(id: string, field = 'id', db?: Db): Promise<Need> {
    const need = await this.needs.findById(id, db);
    if (!need) throw notFound('Need', field);
    return need;
  }

  /** Newest first. */
  list(
    filter: NeedFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Need>> {
    return this.needs.page(filter, first, after);
  }
}
