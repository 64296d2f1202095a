import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden, invalidTransition, notFound } from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import { DisputeRepository } from './dispute.repository.js';
import type {
  AcceptDisputeInput,
  ContestDisputeInput,
  ResolveDisputeInput,
} from './dto/timesheet.inputs.js';
import { mayAnswerDispute, mayDecideDispute } from './market-policy.js';
import { DisputeDecision, DisputeStatus } from './market.enums.js';
import type { Timesheet, TimesheetDispute } from './models/timesheet.models.js';
import { TimeLogRepository } from './time-log.repository.js';
import { hoursOf, TimesheetSettlement, type LockedWork } from './timesheet-settlement.js';
import { TimesheetRepository } from './timesheet.repository.js';

export interface DisputeSettled {
  dispute: TimesheetDispute;
  timesheet: Timesheet;
  /** The refund or payment(s) that settled the disputed hours; none while it is open. */
  transfers: Transfer[];
}

const UNRESOLVED: readonly DisputeStatus[] = [DisputeStatus.OPEN, DisputeStatus.CONTESTED];

/**
 * How a dispute ends. The worker concedes it (the disputed hours are refunded to the buyer)
 * or contests it; an admin who is neither side then decides: pay or refund. While a dispute is
 * unresolved its engagement is paused. Lock order as for reviews: need (SHARE), engagement,
 * dispute, its time logs, accounts.
 */
@Injectable()
export class DisputeService {
  constructor(
    private readonly disputes: DisputeRepository,
    private readonly timesheets: TimesheetRepository,
    private readonly timeLogs: TimeLogRepository,
    private readonly settlement: TimesheetSettlement,
    private readonly ledger: LedgerService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  get byId(): DisputeRepository['byId'] {
    return this.disputes.byId;
  }
  get ofTimesheet(): DisputeRepository['ofTimesheet'] {
    return this.disputes.ofTimesheet;
  }

  /** The worker accepts the dispute: the disputed hours are refunded to the buyer, never paid. */
  accept(input: AcceptDisputeInput, actor: Actor): Promise<DisputeSettled> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'acceptDispute',
          key: input.idempotencyKey,
          request: { disputeId: input.disputeId },
          remember: (result) => ({ transferIds: result.transfers.map((t) => t.id) }),
          replay: (tx, { transferIds }) => this.replay(tx, input.disputeId, transferIds),
        },
      },
      async (tx) => {
        const { work, dispute } = await this.lockForWorker(tx, input.disputeId, actor);
        return this.settle(tx, work, dispute, DisputeStatus.CONCEDED, 'conceded by the worker');
      },
    );
  }

  /** The worker contests the dispute: an admin will decide. */
  contest(input: ContestDisputeInput, actor: Actor): Promise<TimesheetDispute> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const { dispute } = await this.lockForWorker(tx, input.disputeId, actor);
      if (dispute.status !== DisputeStatus.OPEN)
        throw invalidTransition(`The dispute is ${dispute.status} already`);
      const contested = await this.disputes.answer(
        tx,
        dispute.id,
        DisputeStatus.CONTESTED,
        input.reason,
      );
      await tx.record({
        action: 'dispute.contest',
        subjectType: 'TimesheetDispute',
        subjectId: dispute.id,
        payload: { reason: input.reason },
      });
      return contested;
    });
  }

  /** An admin (neither side) decides an unresolved dispute: pay the hours or refund them. */
  resolve(input: ResolveDisputeInput, actor: Actor): Promise<DisputeSettled> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'resolveDispute',
          key: input.idempotencyKey,
          request: { disputeId: input.disputeId, decision: input.decision, note: input.note },
          remember: (result) => ({ transferIds: result.transfers.map((t) => t.id) }),
          replay: (tx, { transferIds }) => this.replay(tx, input.disputeId, transferIds),
        },
      },
      async (tx) => {
        const { work, dispute } = await this.lockDispute(tx, input.disputeId);
        const payees = await this.timeLogs.payeeTeamIdsOfDispute(tx, dispute.id);
        if (!mayDecideDispute(actor, work.engagement, work.need, payees))
          throw forbidden(
            "Disputes are decided by an admin who is neither the buyer nor the worker (nor a lead of the worker's team)",
          );
        const status =
          input.decision === DisputeDecision.PAY ? DisputeStatus.PAID : DisputeStatus.REFUNDED;
        return this.settle(tx, work, dispute, status, `decided by an admin: ${input.note}`, {
          decidedBy: actor.id,
          note: input.note,
        });
      },
    );
  }

  /**
   * Ends an unresolved dispute: its hours paid (PAID) or refunded (CONCEDED, REFUNDED), the
   * dispute marked and the week's hours moved, in the caller's transaction.
   */
  private async settle(
    tx: Tx,
    work: LockedWork,
    dispute: TimesheetDispute,
    status: DisputeStatus.CONCEDED | DisputeStatus.PAID | DisputeStatus.REFUNDED,
    how: string,
    decision?: { decidedBy: string; note: string },
  ): Promise<DisputeSettled> {
    if (!UNRESOLVED.includes(dispute.status))
      throw invalidTransition(`The dispute is ${dispute.status} already`);
    await this.timesheets.lock(tx, dispute.timesheetId);
    const logs = await this.timeLogs.lockDisputed(tx, dispute.id);
    const hours = hoursOf(logs);
    const paid = status === DisputeStatus.PAID;
    const transfers = paid
      ? await this.settlement.pay(tx, work.need, logs, how)
      : [await this.settlement.refund(tx, work.need, logs, how)];
    const timesheet = await this.timesheets.moveHours(tx, dispute.timesheetId, {
      disputed: -hours,
      ...(paid ? { approved: hours } : { refunded: hours }),
    });
    const settled = decision
      ? await this.disputes.decide(
          tx,
          dispute.id,
          status as DisputeStatus.PAID | DisputeStatus.REFUNDED,
          decision.decidedBy,
          decision.note,
        )
      : await this.disputes.answer(tx, dispute.id, DisputeStatus.CONCEDED, null);
    await tx.record({
      action: decision ? 'dispute.resolve' : 'dispute.accept',
      subjectType: 'TimesheetDispute',
      subjectId: dispute.id,
      payload: {
        status,
        hours,
        amount: transfers.reduce((n, t) => n + t.amount, 0),
        transferIds: transfers.map((t) => t.id),
        ...(decision ? { note: decision.note } : {}),
      },
    });
    return { dispute: settled, timesheet, transfers };
  }

  /** `lockDispute`, FORBIDDEN unless `actor` is the worker whose hours are disputed. */
  private async lockForWorker(
    tx: Tx,
    disputeId: string,
    actor: Actor,
  ): Promise<{ work: LockedWork; dispute: TimesheetDispute }> {
    const locked = await this.lockDispute(tx, disputeId);
    if (!mayAnswerDispute(actor, locked.work.engagement))
      throw forbidden('Only the engaged employee answers a dispute of their hours');
    return locked;
  }

  private async lockDispute(
    tx: Tx,
    disputeId: string,
  ): Promise<{ work: LockedWork; dispute: TimesheetDispute }> {
    const engagementId = await this.disputes.engagementIdOf(tx, disputeId);
    const work = await this.settlement.lockWork(tx, engagementId, 'disputeId');
    return { work, dispute: await this.disputes.lock(tx, disputeId) };
  }

  private async replay(tx: Tx, disputeId: string, transferIds: string[]): Promise<DisputeSettled> {
    const dispute = await this.findById(disputeId, 'disputeId', tx);
    const timesheet = await this.timesheets.findById(dispute.timesheetId, tx);
    return {
      dispute,
      timesheet: timesheet!,
      transfers: await this.ledger.transfersByIds(tx, transferIds),
    };
  }

  /** The dispute; NOT_FOUND on `field` if there is none. */
  async findById(id: string, field = 'id', db?: Db): Promise<TimesheetDispute> {
    const dispute = await this.disputes.findById(id, db);
    if (!dispute) throw notFound('TimesheetDispute', field);
    return dispute;
  }

  /** Disputes newest first (an admin's queue), optionally of some statuses. */
  list(
    statuses: DisputeStatus[] | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<TimesheetDispute>> {
    return this.disputes.page(statuses, first, after);
  }
}
