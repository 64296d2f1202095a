import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';

/**
 * How far ahead of this server's clock a client's clock may be: a time a client sends (a
 * measurement's moment, a day of work) counts as "not in the future" up to this much ahead.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60 * 1000;

/**
 * The time as the rules see it. Every rule that depends on "now" (what may be logged, when a
 * review window ends) asks this, never `new Date()`, so that tests can move time forward
 * (`jest.spyOn(app.get(Clock), 'now')`) instead of sleeping.
 */
@Injectable()
export class Clock {
  private readonly moments = new AsyncLocalStorage<Date>();

  now(): Date {
    return this.moments.getStore() ?? new Date();
  }

  /**
   * Runs `work` as if it were `moment`, for the calls it makes and nothing else running
   * meanwhile: the demo organisation tells its story over past weeks this way.
   */
  at<T>(moment: Date, work: () => Promise<T>): Promise<T> {
    return this.moments.run(moment, work);
  }

  /** Today in UTC, as YYYY-MM-DD. */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}
