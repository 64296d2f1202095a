import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden, notFound } from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import type { BatchLoader } from '../../common/graphql/request-loaders.js';
import { splitProRata } from '../../common/money/pro-rata.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { CapacityService } from '../employee/capacity.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import type { FinishInitiativeInput, InitiativeFilter } from './dto/initiative.inputs.js';
import { InitiativeEndingHooks } from './initiative-ending.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { canFinish, isOwner } from './initiative-policy.js';
import { InitiativeStatus } from './initiative.enums.js';
import { InitiativeRepository, type InitiativeLockMode } from './initiative.repository.js';
import { MembershipRepository } from './membership.repository.js';
import { MetricRepository } from './metric.repository.js';
import type { Initiative, OutcomeMetric } from './models/initiative.models.js';

export { initiativeChangedTopic, type InitiativeChangedEvent } from './initiative-events.js';

export interface NewInitiative {
  title: string;
  summary: string;
  ownerId: string;
  sponsorTeamId: string;
  /** The idea's escrow, emptied into the initiative's account. */
  fundedFromAccountId: string;
  budget: number;
  /** Who paid, and how much: unspent credits go back in these proportions. */
  funders: { teamId: string; amount: number }[];
}

export interface FinishResult {
  initiative: Initiative;
  refunds: Transfer[];
}

/**
 * Initiatives: their start, their end (with the refund of what is left of the budget) and
 * their money. Membership, milestones and outcome metrics have services of their own; the
 * methods and loaders other modules use on them stay reachable from here.
 */
@Injectable()
export class InitiativeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: InitiativeRepository,
    private readonly membershipRepository: MembershipRepository,
    private readonly metricRepository: MetricRepository,
    private readonly ledger: LedgerService,
    private readonly capacity: CapacityService,
    private readonly endingHooks: InitiativeEndingHooks,
    private readonly changes: InitiativeChanges,
  ) {}

  /**
   * Starts an initiative inside the approving transaction (the idea module's unit of work):
   * its own account, funded with everything in the idea's escrow; the owner is its first
   * member (with no hours yet).
   */
  /** Runs in the approving unit of work: the event is its actor's. */
  async startFromIdea(tx: Tx, start: NewInitiative): Promise<Initiative> {
    const id = randomUUID();
    const account = await this.ledger.openAccount(tx, AccountKind.INITIATIVE, id);
    const initiative = await this.repository.insert(tx, {
      id,
      ownerId: start.ownerId,
      sponsorTeamId: start.sponsorTeamId,
      accountId: account.id,
      title: start.title,
      summary: start.summary,
      budget: start.budget,
    });
    await this.repository.addFunders(tx, id, start.funders);
    await this.ledger.transfer(tx, {
      fromAccountId: start.fundedFromAccountId,
      toAccountId: account.id,
      amount: start.budget,
      kind: TransferKind.INITIATIVE_FUNDING,
      memo: `Budget of "${start.title}"`,
    });
    await this.membershipRepository.addOwner(tx, id, start.ownerId);
    await tx.record({
      action: 'initiative.start',
      subjectType: 'Initiative',
      subjectId: id,
      payload: {
        title: start.title,
        ownerId: start.ownerId,
        budget: start.budget,
        funders: start.funders,
      },
    });
    return initiative;
  }

  /**
   * Completes (owner) or cancels (owner or sponsor lead) an initiative: its needs are closed,
   * members' hours are freed, and whatever is left in its account goes back to the funding
   * teams in proportion to what they pledged, split so that the credits add up exactly.
   * Subscribers hear of it again on a replay, as they did the first time.
   */
  finish(
    input: FinishInitiativeInput,
    actor: Actor,
    outcome: InitiativeStatus,
  ): Promise<FinishResult> {
    const completing = outcome === InitiativeStatus.COMPLETED;
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: completing ? 'completeInitiative' : 'cancelInitiative',
          key: input.idempotencyKey,
          request: { initiativeId: input.initiativeId, note: input.note ?? null },
          remember: (done: FinishResult) => ({ refundTransferIds: done.refunds.map((t) => t.id) }),
          replay: async (tx, { refundTransferIds }) => {
            tx.afterCommit(() => this.changes.announce(input.initiativeId));
            return {
              initiative: await this.findById(input.initiativeId, 'id', tx),
              refunds: await this.ledger.transfersByIds(tx, refundTransferIds),
            };
          },
        },
      },
      async (tx) => {
        const initiative = await this.repository.lock(
          tx,
          input.initiativeId,
          'UPDATE',
          'initiativeId',
        );
        if (!canFinish(actor, initiative, outcome)) {
          throw forbidden(
            completing
              ? "Only the initiative's owner completes it"
              : "Only the initiative's owner or its sponsor team's leads cancel it",
          );
        }
        assertActive(initiative);
        await this.endingHooks.run(tx, initiative);
        const members = await this.membershipRepository.releaseAll(tx, initiative.id);
        for (const member of members) {
          if (member.hoursPerWeek > 0)
            await this.capacity.release(tx, member.employeeId, member.hoursPerWeek);
        }
        const refunds = await this.refundFunders(tx, initiative);
        const finished = await this.repository.finish(
          tx,
          initiative.id,
          outcome,
          input.note ?? null,
        );
        await tx.record({
          action: completing ? 'initiative.complete' : 'initiative.cancel',
          subjectType: 'Initiative',
          subjectId: initiative.id,
          payload: {
            note: input.note ?? null,
            refunded: refunds.reduce((sum, t) => sum + t.amount, 0),
            refunds: refunds.map((t) => ({ transferId: t.id, amount: t.amount })),
            membersReleased: members.length,
          },
        });
        tx.afterCommit(() => this.changes.announce(input.initiativeId));
        return { initiative: finished, refunds };
      },
    );
  }

  /**
   * Before credits come back to an initiative's account from one of its needs after review
   * (refunded hours, which a need keeps in escrow past its closing): locks the account, which an
   * ending empties to the funders under the same lock, and then reads whether the initiative
   * has ended. If it has, `passReturnToFunders` must follow the transfer in, or the credits
   * would stay in an account nobody spends from any more.
   */
  async lockAccountForReturn(tx: Tx, initiativeId: string): Promise<{ ended: boolean }> {
    const initiative = await this.repository.findById(initiativeId, tx);
    if (!initiative) throw notFound('Initiative');
    await this.ledger.lockBalance(tx, initiative.accountId);
    // Read again once the lock is held: an ending that committed meanwhile is seen.
    const now = (await this.repository.findById(initiativeId, tx))!;
    return { ended: now.status !== InitiativeStatus.ACTIVE };
  }

  /** What an ended initiative's account received since it ended, back to its funders, pro rata. */
  async passReturnToFunders(tx: Tx, initiativeId: string): Promise<Transfer[]> {
    const initiative = (await this.repository.findById(initiativeId, tx))!;
    const refunds = await this.refundFunders(tx, initiative);
    await tx.record({
      action: 'initiative.refundLateReturn',
      subjectType: 'Initiative',
      subjectId: initiative.id,
      payload: {
        refunded: refunds.reduce((sum, t) => sum + t.amount, 0),
        refunds: refunds.map((t) => ({ transferId: t.id, amount: t.amount })),
      },
    });
    return refunds;
  }

  /** Empties the initiative's account back to its funders, pro rata (its balance locked first). */
  private async refundFunders(tx: Tx, initiative: Initiative): Promise<Transfer[]> {
    const balance = await this.ledger.lockBalance(tx, initiative.accountId);
    const funders = await this.repository.fundersWithAccounts(tx, initiative.id);
    const shares = splitProRata(
      Number(balance),
      funders.map((f) => ({ key: f.accountId, weight: f.amount })),
    );
    const refunds: Transfer[] = [];
    for (const [accountId, amount] of shares) {
      if (amount === 0) continue;
      refunds.push(
        await this.ledger.transfer(tx, {
          fromAccountId: initiative.accountId,
          toAccountId: accountId,
          amount,
          kind: TransferKind.INITIATIVE_REFUND,
          memo: `Unspent budget of "${initiative.title}"`,
        }),
      );
    }
    return refunds;
  }

  /** Keeps `spent` with each escrow deposit (positive) or return (negative) of its needs. */
  async addSpending(tx: Db, initiativeId: string, credits: number): Promise<void> {
    await this.repository.addSpending(tx, initiativeId, credits);
  }

  /** Tells initiativeChanged subscribers; call after the change has committed. */
  announce(initiativeId: string): Promise<void> {
    return this.changes.announce(initiativeId);
  }

  /** The initiative, row-locked for the rest of the transaction (see InitiativeRepository.lock). */
  lock(tx: Db, id: string, mode: InitiativeLockMode, field = 'initiativeId'): Promise<Initiative> {
    return this.repository.lock(tx, id, mode, field);
  }

  /** For buying on the market: the active initiative the actor owns, locked against finishing meanwhile. */
  async lockForBuying(tx: Db, id: string, actor: Actor, field: string): Promise<Initiative> {
    const initiative = await this.repository.lock(tx, id, 'SHARE', field);
    if (!isOwner(actor, initiative))
      throw forbidden("Only the initiative's owner buys with its budget");
    assertActive(initiative);
    return initiative;
  }

  /** The initiative, or NOT_FOUND on `field`; reads through `db` (a replay's transaction) when given. */
  async findById(id: string, field = 'id', db?: Db): Promise<Initiative> {
    const initiative = await this.repository.findById(id, db);
    if (!initiative) throw notFound('Initiative', field);
    return initiative;
  }

  /** The initiative with its owner, for the `initiative(id)` query; NOT_FOUND on `id`. */
  async findWithOwner(id: string): Promise<Initiative> {
    const initiative = await this.repository.findWithOwner(id);
    if (!initiative) throw notFound('Initiative', 'id');
    return initiative;
  }

  /** Newest first. */
  list(
    filter: InitiativeFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Initiative>> {
    return this.repository.page(filter, first, after);
  }

  // Loaders other modules' resolvers use; each is declared next to its SQL, in a repository.

  get byId(): BatchLoader<string, Initiative | null> {
    return this.repository.byId;
  }

  /** Each initiative's outcome metrics. */
  get metrics(): BatchLoader<string, OutcomeMetric[]> {
    return this.metricRepository.ofInitiative;
  }

  /** Each metric's latest values, oldest first: for sparklines. */
  get recentValues(): BatchLoader<string, number[]> {
    return this.metricRepository.recentValues;
  }
}
