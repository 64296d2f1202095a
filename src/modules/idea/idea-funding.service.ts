import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import {
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork, type Idempotency, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { EmployeeAdminService } from '../employee/employee-admin.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import type { Initiative } from '../initiative/models/initiative.models.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import type { IdeaDecisionInput, PledgeToIdeaInput, RejectIdeaInput } from './dto/idea.inputs.js';
import { ideaChangedTopic, type IdeaChangedEvent } from './idea-events.js';
import { MAX_PLEDGES_PER_IDEA } from './idea-limits.js';
import {
  canBeRejected,
  canBeWithdrawn,
  isProposer,
  isVisibleIdea,
  leadsSponsorTeam,
} from './idea-policy.js';
import { IdeaStatus } from './idea.enums.js';
import { IdeaRepository } from './idea.repository.js';
import type { Idea, Pledge } from './models/idea.models.js';
import { PledgeRepository } from './pledge.repository.js';

export interface PledgeResult {
  idea: Idea;
  pledge: Pledge;
  transfer: Transfer;
}

export interface ApproveResult {
  idea: Idea;
  initiative: Initiative;
}

export interface RefundResult {
  idea: Idea;
  refunds: Transfer[];
}

/**
 * An idea's money and its decision: pledges into its escrow, then approval into an initiative
 * (the escrow becomes its budget), or rejection / withdrawal (every pledge refunded).
 */
@Injectable()
export class IdeaFundingService {
  constructor(
    private readonly ideas: IdeaRepository,
    private readonly pledges: PledgeRepository,
    private readonly ledger: LedgerService,
    private readonly initiatives: InitiativeService,
    private readonly people: EmployeeAdminService,
    private readonly unitOfWork: UnitOfWork,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /**
   * TEAM → IDEA_ESCROW. The idea row is locked, so concurrent pledges are weighed one after
   * the other; a pledge past the goal is refused whole (CONFLICT), never trimmed, and the
   * idea_pledged_within_goal constraint backs that up. Reaching the goal makes it FUNDED.
   */
  pledge(input: PledgeToIdeaInput, actor: Actor): Promise<PledgeResult> {
    return this.runOnLockedIdea(
      input.ideaId,
      actor,
      {
        operation: 'pledgeToIdea',
        key: input.idempotencyKey,
        request: { ideaId: input.ideaId, teamId: input.teamId, amount: input.amount },
        remember: (done) => ({ pledgeId: done.pledge.id }),
        replay: async (tx, { pledgeId }) => {
          const paid = await this.pledges.findWithTransfer(pledgeId, tx);
          if (!paid) throw notFound('Pledge');
          return {
            idea: await this.findById(input.ideaId, tx),
            pledge: paid.pledge,
            transfer: await this.ledger.transferById(tx, paid.transferId),
          };
        },
      },
      async (tx, idea) => {
        if (idea.status === IdeaStatus.FUNDED)
          throw conflict('The idea is fully funded already', 'amount');
        if (idea.status !== IdeaStatus.SUBMITTED) {
          throw invalidTransition(`The idea is ${idea.status}: it takes no pledges`);
        }
        const missing = idea.fundingGoal - idea.pledgedTotal;
        if (input.amount > missing) {
          throw conflict(`The idea needs only ${missing} more credits`, 'amount');
        }
        let pledged: Idea;
        try {
          pledged = await this.ideas.addPledged(tx, idea.id, input.amount);
        } catch (error) {
          if (isConstraintViolation(error, 'idea_pledged_within_goal')) {
            throw conflict('The pledge would pass the funding goal', 'amount');
          }
          throw error;
        }
        const transfer = await this.ledger.transfer(tx, {
          fromAccountId: await this.ledger.accountIdOf(
            tx,
            AccountKind.TEAM,
            input.teamId,
            'teamId',
          ),
          toAccountId: idea.escrowAccountId,
          amount: input.amount,
          kind: TransferKind.PLEDGE,
          idempotencyKey: input.idempotencyKey,
          memo: `Pledge to "${idea.title}"`,
        });
        const pledge = await this.pledges.insertWithin(
          tx,
          {
            ideaId: idea.id,
            teamId: input.teamId,
            pledgedById: actor.id,
            amount: input.amount,
            transferId: transfer.id,
          },
          MAX_PLEDGES_PER_IDEA,
        );
        if (!pledge) {
          throw conflict(
            `The idea has ${MAX_PLEDGES_PER_IDEA} pledges already, the most it takes`,
            'ideaId',
          );
        }
        await this.record(tx, 'idea.pledge', idea.id, {
          teamId: input.teamId,
          amount: input.amount,
          transferId: transfer.id,
          status: pledged.status,
        });
        return { idea: pledged, pledge, transfer };
      },
    );
  }

  /**
   * A lead of the sponsor team approves a FUNDED idea, never its own proposer: its escrow
   * becomes the budget of a new initiative, owned by the proposer, in one transaction. Not once
   * the proposer is deactivated (CONFLICT): nobody would own it, and a leaver's deactivation
   * hands over what they own. The proposer's row is held FOR SHARE, so a deactivation either
   * committed before (and is seen here) or waits, and then hands this initiative over too.
   */
  approve(input: IdeaDecisionInput, actor: Actor): Promise<ApproveResult> {
    return this.runOnLockedIdea(
      input.ideaId,
      actor,
      {
        operation: 'approveIdea',
        key: input.idempotencyKey,
        request: { ...input, idempotencyKey: undefined },
        remember: (done) => ({ initiativeId: done.initiative.id }),
        replay: async (tx, { initiativeId }) => {
          tx.afterCommit(() => this.initiatives.announce(initiativeId));
          return {
            idea: await this.findById(input.ideaId, tx),
            initiative: await this.initiatives.findById(initiativeId, 'id', tx),
          };
        },
      },
      async (tx, idea) => {
        if (!leadsSponsorTeam(actor, idea))
          throw forbidden("Only the sponsor team's leads approve an idea");
        if (isProposer(actor, idea)) throw forbidden('Proposers cannot approve their own idea');
        if (idea.status !== IdeaStatus.FUNDED)
          throw invalidTransition(`The idea is ${idea.status}: only FUNDED ideas are approved`);
        if ((await this.people.hold(tx, idea.proposerId))?.deactivatedAt) {
          throw conflict(
            'The proposer has been deactivated: nobody would own the initiative (reject the idea to refund its pledges)',
            'ideaId',
          );
        }
        const funders = await this.pledges.fundersOf(tx, idea.id);
        const initiative = await this.initiatives.startFromIdea(tx, {
          title: idea.title,
          summary: [idea.proposal, idea.expectedOutcomes].filter(Boolean).join('\n\n'),
          ownerId: idea.proposerId,
          sponsorTeamId: idea.sponsorTeamId,
          fundedFromAccountId: idea.escrowAccountId,
          budget: idea.pledgedTotal,
          funders,
        });
        const approved = await this.ideas.markApproved(tx, idea.id, initiative.id);
        await this.record(tx, 'idea.approve', idea.id, {
          initiativeId: initiative.id,
          budget: initiative.budget,
        });
        tx.afterCommit(() => this.initiatives.announce(initiative.id));
        return { idea: approved, initiative };
      },
    );
  }

  /** A lead of the sponsor team turns it down; every pledge goes back to the team that made it. */
  reject(input: RejectIdeaInput, actor: Actor): Promise<RefundResult> {
    return this.runOnLockedIdea(
      input.ideaId,
      actor,
      this.refunding('rejectIdea', input),
      async (tx, idea) => {
        if (!leadsSponsorTeam(actor, idea))
          throw forbidden("Only the sponsor team's leads reject an idea");
        if (!canBeRejected(idea)) {
          throw invalidTransition(`The idea is ${idea.status}: it cannot be rejected`);
        }
        return this.closeAndRefund(tx, idea, IdeaStatus.REJECTED, input.reason);
      },
    );
  }

  /** The proposer takes it back before approval; every pledge goes back to the team that made it. */
  withdraw(input: IdeaDecisionInput, actor: Actor): Promise<RefundResult> {
    return this.runOnLockedIdea(
      input.ideaId,
      actor,
      this.refunding('withdrawIdea', input),
      async (tx, idea) => {
        if (!isProposer(actor, idea)) throw forbidden('Only the proposer withdraws an idea');
        if (!canBeWithdrawn(idea)) {
          throw invalidTransition(`The idea is ${idea.status}: it cannot be withdrawn`);
        }
        return this.closeAndRefund(tx, idea, IdeaStatus.WITHDRAWN, null);
      },
    );
  }

  /** Rejection and withdrawal remember their refunds, and answer a replay with them. */
  private refunding(
    operation: string,
    input: IdeaDecisionInput,
  ): Idempotency<RefundResult, { refundTransferIds: string[] }> {
    return {
      operation,
      key: input.idempotencyKey,
      request: { ...input, idempotencyKey: undefined },
      remember: (done) => ({ refundTransferIds: done.refunds.map((t) => t.id) }),
      replay: async (tx, { refundTransferIds }) => ({
        idea: await this.findById(input.ideaId, tx),
        refunds: await this.ledger.transfersByIds(tx, refundTransferIds),
      }),
    };
  }

  /** REJECTED or WITHDRAWN: each pledge goes back from the escrow to its team, oldest first. */
  private async closeAndRefund(
    tx: Tx,
    idea: Idea,
    status: IdeaStatus.REJECTED | IdeaStatus.WITHDRAWN,
    reason: string | null,
  ): Promise<RefundResult> {
    const refunds: Transfer[] = [];
    for (const pledge of await this.pledges.toRefund(tx, idea.id)) {
      refunds.push(
        await this.ledger.transfer(tx, {
          fromAccountId: idea.escrowAccountId,
          toAccountId: pledge.accountId,
          amount: pledge.amount,
          kind: TransferKind.PLEDGE_REFUND,
          memo: `Pledge back from "${idea.title}"`,
        }),
      );
    }
    const closed = await this.ideas.markClosed(tx, idea.id, status, reason);
    await this.record(
      tx,
      status === IdeaStatus.REJECTED ? 'idea.reject' : 'idea.withdraw',
      idea.id,
      { reason, refunded: refunds.reduce((sum, t) => sum + t.amount, 0) },
    );
    return { idea: closed, refunds };
  }

  /**
   * A change that may move money: one idempotent unit of work on the idea, locked and
   * visible to the actor; the change is announced after commit, replays included.
   */
  private runOnLockedIdea<T, R extends Record<string, unknown>>(
    ideaId: string,
    actor: Actor,
    idempotency: Idempotency<T, R>,
    work: (tx: Tx, idea: Idea) => Promise<T>,
  ): Promise<T> {
    const announce = (tx: Tx): void =>
      tx.afterCommit(() =>
        this.pubSub.publish(ideaChangedTopic(ideaId), { ideaId } satisfies IdeaChangedEvent),
      );
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          ...idempotency,
          replay: (tx, remembered) => {
            announce(tx);
            return idempotency.replay(tx, remembered);
          },
        },
      },
      async (tx) => {
        const idea = await this.ideas.lock(tx, ideaId);
        if (!idea || !isVisibleIdea(idea, actor)) throw notFound('Idea', 'ideaId');
        announce(tx);
        return work(tx, idea);
      },
    );
  }

  private async findById(id: string, db: Db): Promise<Idea> {
    const idea = await this.ideas.findById(id, db);
    if (!idea) throw notFound('Idea');
    return idea;
  }

  private record(
    tx: Tx,
    action: string,
    ideaId: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    return tx.record({ action, subjectType: 'Idea', subjectId: ideaId, payload });
  }
}
