import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { CapacityService } from '../employee/capacity.service.js';
import { EmployeeService } from '../employee/employee.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { LogTimeInput } from './dto/market-actions.input.js';
import { EngagementRepository } from './engagement.repository.js';
import { mayLogTime } from './market-policy.js';
import { EngagementStatus } from './market.enums.js';
import type { Engagement, TimeLog } from './models/market.models.js';
import { NeedRepository } from './need.repository.js';
import { TimeLogRepository } from './time-log.repository.js';

export type { TimeLogPage } from './time-log.repository.js';

export interface LogTimeResult {
  timeLog: TimeLog;
  engagement: Engagement;
}

/** Logging hours: each hour pays hours × rate from the need's escrow to the worker's home team. */
@Injectable()
export class EngagementService {
  constructor(
    private readonly engagements: EngagementRepository,
    private readonly timeLogs: TimeLogRepository,
    private readonly needs: NeedRepository,
    private readonly ledger: LedgerService,
    private readonly capacity: CapacityService,
    private readonly employees: EmployeeService,
    private readonly unitOfWork: UnitOfWork,
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

  async logTime(input: LogTimeInput, actor: Actor): Promise<LogTimeResult> {
    if (input.date > tomorrow())
      throw badInput('date', 'date: work cannot be logged for a future day');
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
    const current = await this.findById(input.engagementId, 'engagementId', tx);
    // SHARE on the need: closing it waits for hours being logged, and the other way round.
    const need = await this.needs.lock(tx, current.needId, 'SHARE');
    if (!mayLogTime(actor, current))
      throw forbidden('Only the engaged employee can log time on it');

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

    const homeTeamId = await this.employees.homeTeamIdOf(tx, actor.id);
    const transfer = await this.ledger.transfer(tx, {
      fromAccountId: need.escrowAccountId,
      toAccountId: await this.ledger.accountIdOf(tx, AccountKind.TEAM, homeTeamId),
      amount: input.hours * engagement.ratePerHour,
      kind: TransferKind.TIME_PAYMENT,
      idempotencyKey: input.idempotencyKey,
      memo: `${input.hours} h on "${need.title}"`,
    });
    const timeLog = await this.timeLogs.insert(tx, {
      engagementId: engagement.id,
      hours: input.hours,
      date: input.date,
      note: input.note,
      transferId: transfer.id,
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
        paid: transfer.amount,
        transferId: transfer.id,
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

/** Tomorrow in UTC, as YYYY-MM-DD: work dated up to then is accepted (time zones differ). */
function tomorrow(): string {
  return new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}
