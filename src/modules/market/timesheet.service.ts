import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { Clock } from '../../common/clock/clock.js';
import {
  badInput,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { Db } from '../../database/sql.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import { DisputeRepository } from './dispute.repository.js';
import type { ApproveTimesheetInput, DisputeTimesheetInput } from './dto/timesheet.inputs.js';
import { EngagementRepository } from './engagement.repository.js';
import { mayReviewTimesheets } from './market-policy.js';
import { EngagementStatus, TimeLogStatus } from './market.enums.js';
import type { Need } from './models/market.models.js';
import type { Timesheet, TimesheetDispute } from './models/timesheet.models.js';
import { NeedService } from './need.service.js';
import { TimeLogRepository } from './time-log.repository.js';
import { isCalendarOver } from './timesheet-calendar.js';
import { hoursOf, TimesheetSettlement, valueOf } from './timesheet-settlement.js';
import { TimesheetRepository } from './timesheet.repository.js';
import { WorkLockRepository } from './work-lock.repository.js';

export interface TimesheetApproval {
  timesheet: Timesheet;
  payments: Transfer[];
}

export interface TimesheetDisputed {
  dispute: TimesheetDispute;
  timesheet: Timesheet;
}

/** How many weeks (and engagements) one sweep settles in one go, each in its own transaction. */
const SWEEP_BATCH = 100;

/** The job-queue job that runs `sweep` every TIMESHEET_SWEEP_SECONDS. */
export const TIMESHEET_SWEEP_JOB = 'timesheets.sweep';

/**
 * The buyer's weekly review of logged hours: approve (pay) or dispute them, and the automatic
 * approval of what is still pending when a week's review window ends. Lock order: need
 * (SHARE), engagement, timesheet, time logs, accounts.
 */
@Injectable()
export class TimesheetService implements OnModuleInit {
  private readonly logger = new Logger(TimesheetService.name);

  constructor(
    private readonly timesheets: TimesheetRepository,
    private readonly timeLogs: TimeLogRepository,
    private readonly disputes: DisputeRepository,
    private readonly engagements: EngagementRepository,
    private readonly settlement: TimesheetSettlement,
    private readonly workLocks: WorkLockRepository,
    private readonly needs: NeedService,
    private readonly ledger: LedgerService,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The sweep runs on the job queue: one pending run at a time across instances, taken over by
   * another instance if the one running it dies. It is safe to run twice (each week and
   * engagement re-checks under its locks), which is what the queue asks of handlers.
   */
  async onModuleInit(): Promise<void> {
    const seconds = this.config.timesheetSweepSeconds;
    await this.jobs.define({
      name: TIMESHEET_SWEEP_JOB,
      everySeconds: seconds > 0 ? seconds : undefined,
      retryLimit: 3,
      retryDelaySeconds: 5,
      // A run takes seconds (a batch of short transactions). One that has run for ten periods
      // is taken as dead (its instance killed) and the schedule moves on without it.
      expireInSeconds: Math.min(5 * 60, Math.max(10, 10 * seconds)),
      handler: () => this.sweep(),
    });
  }

  /** The buyer approves every pending hour of the week: they are paid now. */
  approve(input: ApproveTimesheetInput, actor: Actor): Promise<TimesheetApproval> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'approveTimesheet',
          key: input.idempotencyKey,
          request: { timesheetId: input.timesheetId },
          remember: (result) => ({ transferIds: result.payments.map((t) => t.id) }),
          replay: async (tx, { transferIds }) => ({
            timesheet: await this.findById(input.timesheetId, 'timesheetId', tx),
            payments: await this.ledger.transfersByIds(tx, transferIds),
          }),
        },
      },
      async (tx) => {
        const approval = await this.approveLocked(tx, input.timesheetId, actor);
        if (!approval) throw invalidTransition('No hours of this week are pending review');
        return approval;
      },
    );
  }

  /**
   * Pays the week's pending hours, as the buyer (`actor`) or automatically (null: its review
   * window has ended). Undefined if none were pending any more.
   */
  private async approveLocked(
    tx: Tx,
    timesheetId: string,
    actor: Actor | null,
  ): Promise<TimesheetApproval | undefined> {
    const { need, engagementId, sheet } = await this.lockForReview(tx, timesheetId, actor);
    if (!actor && sheet.reviewEndsAt > this.clock.now()) return undefined;
    const logs = await this.timeLogs.lockInStatus(tx, sheet.id, TimeLogStatus.PENDING);
    if (!logs.length) return undefined;
    const how = actor ? 'approved by the buyer' : 'approved when the review window ended';
    const payments = await this.settlement.pay(tx, need, logs, how);
    const hours = hoursOf(logs);
    const timesheet = await this.timesheets.moveHours(tx, sheet.id, {
      pending: -hours,
      approved: hours,
    });
    await tx.record({
      action: actor ? 'timesheet.approve' : 'timesheet.autoApprove',
      subjectType: 'Timesheet',
      subjectId: sheet.id,
      payload: {
        engagementId,
        weekStart: sheet.weekStart,
        hours,
        paid: valueOf(logs),
        transferIds: payments.map((t) => t.id),
      },
    });
    return { timesheet, payments };
  }

  /**
   * The buyer disputes pending hours of the week (all of them, or the logs named), before its
   * review window ends. The engagement pauses until the dispute is resolved.
   */
  dispute(input: DisputeTimesheetInput, actor: Actor): Promise<TimesheetDisputed> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'disputeTimesheet',
          key: input.idempotencyKey,
          request: {
            timesheetId: input.timesheetId,
            timeLogIds: input.timeLogIds ?? null,
            reason: input.reason,
          },
          remember: (result) => ({ disputeId: result.dispute.id }),
          replay: async (tx, { disputeId }) => ({
            dispute: (await this.disputes.findById(disputeId, tx))!,
            timesheet: await this.findById(input.timesheetId, 'timesheetId', tx),
          }),
        },
      },
      async (tx) => {
        const { engagementId, sheet } = await this.lockForReview(tx, input.timesheetId, actor);
        if (sheet.reviewEndsAt <= this.clock.now()) {
          throw invalidTransition(
            `The review window of this week ended at ${sheet.reviewEndsAt.toISOString()}: its hours are approved`,
          );
        }
        const wanted = input.timeLogIds && [...new Set(input.timeLogIds)];
        const logs = await this.timeLogs.lockInStatus(tx, sheet.id, TimeLogStatus.PENDING, wanted);
        if (wanted && logs.length !== wanted.length) {
          throw badInput(
            'timeLogIds',
            'timeLogIds: only pending time logs of this timesheet can be disputed',
          );
        }
        if (!logs.length) throw invalidTransition('No hours of this week are pending review');
        const hours = hoursOf(logs);
        const dispute = await this.disputes.insert(tx, {
          timesheetId: sheet.id,
          engagementId,
          hours,
          reason: input.reason,
          openedBy: actor.id,
        });
        await this.timeLogs.markDisputed(
          tx,
          logs.map((l) => l.id),
          dispute.id,
        );
        const timesheet = await this.timesheets.moveHours(tx, sheet.id, {
          pending: -hours,
          disputed: hours,
        });
        await tx.record({
          action: 'timesheet.dispute',
          subjectType: 'Timesheet',
          subjectId: sheet.id,
          payload: {
            disputeId: dispute.id,
            engagementId,
            weekStart: sheet.weekStart,
            hours,
            timeLogIds: logs.map((l) => l.id),
            reason: input.reason,
          },
        });
        return { dispute, timesheet };
      },
    );
  }

  /**
   * Locks a week for review in the market's order (need SHARE, engagement, timesheet);
   * FORBIDDEN unless `actor` acts for the buyer (null: the system's sweep).
   */
  private async lockForReview(
    tx: Tx,
    timesheetId: string,
    actor: Actor | null,
  ): Promise<{ need: Need; engagementId: string; sheet: Timesheet }> {
    const { need, engagement, sheet } = await this.workLocks.week(tx, timesheetId, 'timesheetId');
    if (actor && !mayReviewTimesheets(actor, need, engagement))
      throw forbidden(
        "Only the buyer's leads, not the worker, review this engagement's timesheets",
      );
    return { need, engagementId: engagement.id, sheet };
  }

  /**
   * The scheduled sweep: pays every week whose review window has ended with hours still
   * pending, and completes engagements whose weeks are over (capacity freed, escrow no review
   * needs returned). Each week and engagement is its own transaction, and each re-checks under
   * its locks, so sweeps running at once on several instances settle nothing twice.
   * Returns how many weeks were paid and engagements completed.
   */
  async sweep(): Promise<{ approved: number; completed: number }> {
    let approved = 0;
    // A batch at a time: a backlog is worked through by the next runs.
    for (const due of await this.timesheets.dueForApproval(this.clock.now(), SWEEP_BATCH)) {
      const done = await this.unitOfWork.run({ actor: null }, (tx) =>
        this.approveLocked(tx, due.id, null),
      );
      if (done) approved += 1;
    }
    let completed = 0;
    const today = this.clock.today();
    for (const ended of await this.engagements.activeEndedBefore(today, SWEEP_BATCH)) {
      const done = await this.unitOfWork.run({ actor: null }, (tx) =>
        this.completeIfOver(tx, ended.id),
      );
      if (done) completed += 1;
    }
    if (approved || completed) {
      this.logger.log(`timesheets: ${approved} weeks approved, ${completed} engagements completed`);
    }
    return { approved, completed };
  }

  /** Completes an ACTIVE engagement whose weeks are over (and closed to logging). */
  private async completeIfOver(tx: Tx, engagementId: string): Promise<boolean> {
    const { need, engagement } = await this.settlement.lockWork(tx, engagementId, 'engagementId');
    if (engagement.status !== EngagementStatus.ACTIVE) return false;
    if (!isCalendarOver(engagement, this.clock.now())) return false;
    const completed = await this.engagements.completeLocked(tx, engagement.id);
    const refund = await this.needs.releaseEngagement(tx, need, engagement);
    await tx.record({
      action: 'engagement.complete',
      subjectType: 'Engagement',
      subjectId: engagement.id,
      payload: {
        reason: 'its weeks are over',
        loggedHours: completed.loggedHours,
        returned: refund?.amount ?? 0,
        transferId: refund?.id ?? null,
      },
    });
    return true;
  }

  /** The timesheet; NOT_FOUND on `field` if there is none. */
  async findById(id: string, field = 'id', db?: Db): Promise<Timesheet> {
    const timesheet = await this.timesheets.findById(id, db);
    if (!timesheet) throw notFound('Timesheet', field);
    return timesheet;
  }
}
