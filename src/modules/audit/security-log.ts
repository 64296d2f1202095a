import { Injectable, Logger } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AuditService } from './audit.service.js';

/** Records kept per source (an account, an address, an employee) in ten minutes. */
const PER_SOURCE = 20;
/** Records kept per instance in a minute, whatever their sources. */
const PER_INSTANCE = 120;

export interface FailedSignIn {
  /** As typed (normalised), whether or not anyone has it. */
  email: string;
  employeeId?: string;
  address: string;
  reason:
    | 'wrong password'
    | 'wrong current password'
    | 'unknown e-mail'
    | 'throttled'
    | 'published password'
    | 'deactivated';
}

export interface Refusal {
  actorId: string;
  /** `Mutation.createTeam`, `Subscription.bidPlaced`, `GET /export/team-pnl.csv`. */
  operation: string;
  address?: string;
}

/**
 * Failed sign-ins and authorisation refusals, in the audit log (`auth.login_failed`,
 * `auth.refused`). An attack must not flood the log, so each source gets a small allowance
 * and the instance a ceiling; what is left out is counted in the service log instead.
 */
@Injectable()
export class SecurityLog {
  private readonly logger = new Logger('Security');
  private readonly perSource = new RateLimiterMemory({ points: PER_SOURCE, duration: 600 });
  private readonly perInstance = new RateLimiterMemory({ points: PER_INSTANCE, duration: 60 });
  private suppressed = 0;
  private lastReport = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async failedSignIn(attempt: FailedSignIn): Promise<void> {
    if (!(await this.allowed([`sign-in:${attempt.email}`, `address:${attempt.address}`]))) return;
    await this.write({
      actorId: null,
      action: 'auth.login_failed',
      subjectType: 'Employee',
      subjectId: attempt.employeeId ?? null,
      payload: { email: attempt.email, address: attempt.address, reason: attempt.reason },
    });
  }

  async refused(refusal: Refusal): Promise<void> {
    if (!(await this.allowed([`actor:${refusal.actorId}`]))) return;
    await this.write({
      actorId: refusal.actorId,
      action: 'auth.refused',
      subjectType: 'Operation',
      subjectId: null,
      payload: {
        operation: refusal.operation,
        ...(refusal.address ? { address: refusal.address } : {}),
      },
    });
  }

  private async allowed(sources: string[]): Promise<boolean> {
    try {
      for (const source of sources) await this.perSource.consume(source);
      await this.perInstance.consume('all');
      return true;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      this.suppressed++;
      if (Date.now() - this.lastReport > 60_000) {
        this.lastReport = Date.now();
        this.logger.warn(`${this.suppressed} security events left out of the audit log so far`);
      }
      return false;
    }
  }

  /** Outside any transaction: the refusal changed nothing, but its record must stay. */
  private async write(record: Parameters<AuditService['record']>[1]): Promise<void> {
    await this.audit.record(this.dataSource.manager, record).catch((error: unknown) => {
      this.logger.warn(`could not record ${record.action}: ${String(error)}`);
    });
  }
}
