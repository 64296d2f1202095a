import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { Clock } from '../../common/clock/clock.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { Db } from '../../database/sql.js';
import { CapacityService } from '../employee/capacity.service.js';
import type { LogTimeInput } from './dto/market-actions.input.js';
import { EngagementRepository } from './engagement.repository.js';
import { mayLogTime } from './market-policy.js';
import { EngagementStatus } from './market.enums.js';
import type { Engagement, TimeLog } from './models/market.models.js';
import { WorkLockRepository } from './work-lock.repository.js';
import { DisputeRepository } from './dispute.repository.js';
import type { Timesheet } from './models/timesheet.models.js';
import { TimeLogRepository } from './time-log.repository.js';
import { reviewEndsAt, weekStartOf, whyDayIsNotLoggable } from './timesheet-calendar.js';
import { TimesheetRepository } from './timesheet.repository.js';

export type { TimeLogPage } from './time-log.repository.js';

export interface LogTimeResult {
  timeLog: TimeLog;
  engagement: Engagement;
}

/**
 * Logging hours on an engagement, within its weeks and its weekly limit, for the buyer's review
 * (TimesheetService pays them once approved).
 */
@Injectable()
export class EngagementService {
  constructor(
    private readonly engagements: EngagementRepository,
    private readonly timeLogs: TimeLogRepository,
    private readonly workLocks: WorkLockRepository,
    private readonly timesheets: TimesheetRepository,
    private readonly disputes: DisputeRepository,
    private readonly capacity: CapacityService,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get byId(): EngagementRepository['byId'] {
    return this.engagements.byId;
  }
  get byBid(): EngagementRepository['byBid'] {
    return this.engagements.byBid;
  }
  /**
   * Engagements of needs, as the actor may see them: all of them to the buyer's leads, one's
   * own to a worker. Key: the need and who is looking.
   */
  get visibleByNeed(): EngagementRepository['visibleByNeed'] {
    return this.engagements.visibleByNeed;
  }
  /** One page of several engagements' time logs (oldest first), in one statement. */
  get timeLogPage(): TimeLogRepository['page'] {
    return this.timeLogs.page;
  }
  get timeLogCount(): TimeLogRepository['countByEngagement'] {
    return this.timeLogs.countByEngagement;
  }

  /**
   * Records hours for the buyer's review: PENDING, paid only once their week is approved.
   * Refused outside the engagement's weeks, for a future day, past the week's limit of
   * `hoursPerWeek`, and while a dispute pauses the engagement.
   */
  async logTime(input: LogTimeInput, actor: Actor): Promise<LogTimeResult> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'logTime',
          key: input.idempotencyKey,
          request: {
            engagementId: input.engagementId,
            hours: input.hours,
            date: input.date,
            note: input.note,
          },
          remember: (result) => ({ timeLogId: result.timeLog.id }),
          replay: async (tx, { timeLogId }) => {
            const timeLog = await this.timeLogs.findById(timeLogId, tx);
            if (!timeLog) throw notFound('TimeLog');
            return { timeLog, engagement: await this.findById(input.engagementId, 'id', tx) };
          },
        },
      },
      (tx) => this.logNow(tx, input, actor),
    );
  }

  private async logNow(tx: Tx, input: LogTimeInput, actor: Actor): Promise<LogTimeResult> {
    // The need SHARE (closing it waits for hours being logged), then the engagement.
    const { engagement: current } = await this.workLocks.engagement(
      tx,
      input.engagementId,
      'engagementId',
    );
    if (!mayLogTime(actor, current))
      throw forbidden('Only the engaged employee can log time on it');
    if (current.status !== EngagementStatus.ACTIVE)
      throw invalidTransition(`The engagement is ${current.status}: no more time can be logged`);
    const refusal = whyDayIsNotLoggable(current, input.date, this.clock.now());
    if (refusal) throw badInput('date', `date: ${refusal}`);
    if (await this.disputes.hasUnresolved(tx, current.id)) {
      throw conflict(
        'A dispute pauses this engagement: no time can be logged until it is resolved',
        'engagementId',
      );
    }

    const weekStart = weekStartOf(input.date);
    let timesheet: Timesheet;
    try {
      timesheet = await this.timesheets.addPending(tx, {
        engagementId: current.id,
        weekStart,
        maxHours: current.hoursPerWeek,
        hours: input.hours,
        reviewEndsAt: reviewEndsAt(weekStart, this.config.timesheetReviewDays),
      });
    } catch (error) {
      if (isConstraintViolation(error, 'timesheet_hours_check')) {
        throw conflict(
          `At most ${current.hoursPerWeek} hours a week can be logged on this engagement (week of ${weekStart})`,
          'hours',
        );
      }
      throw error;
    }
    let engagement: Engagement | undefined;
    try {
      engagement = await this.engagements.addLoggedHours(tx, current.id, input.hours);
    } catch (error) {
      if (isConstraintViolation(error, 'engagement_logged_hours_check')) {
        const left = current.totalHours - current.loggedHours;
        throw conflict(`Only ${left} hours are left to log on this engagement`, 'hours');
      }
      throw error;
    }
    if (!engagement)
      throw invalidTransition(`The engagement is ${current.status}: no more time can be logged`);

    const timeLog = await this.timeLogs.insert(tx, {
      engagementId: engagement.id,
      timesheetId: timesheet.id,
      hours: input.hours,
      date: input.date,
      note: input.note,
      workerId: actor.id,
    });
    if (engagement.status === EngagementStatus.COMPLETED) {
      await this.capacity.release(tx, actor.id, engagement.hoursPerWeek);
    }
    await tx.record({
      action: 'engagement.logTime',
      subjectType: 'Engagement',
      subjectId: engagement.id,
      payload: {
        hours: input.hours,
        date: input.date,
        timesheetId: timesheet.id,
        timeLogId: timeLog.id,
        status: engagement.status,
      },
    });
    return { timeLog, engagement };
  }

  /** The engagement; NOT_FOUND on `field` if there is none. */
  async findById(id: string, field = 'id', db?: Db): Promise<Engagement> {
    const engagement = await this.engagements.findById(id, db);
    if (!engagement) throw notFound('Engagement', field);
    return engagement;
  }

  /** An employee's engagements, newest first. */
  engagementsOf(
    employeeId: string,
    first: number,
    after?: string,
    status?: EngagementStatus,
  ): Promise<ConnectionResult<Engagement>> {
    return this.engagements.pageOfEmployee(employeeId, first, after, status);
  }
}
