import { jest } from '@jest/globals';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { MAX_SIGN_IN_WAIT_SECONDS, RateLimits } from '../../src/common/rate-limit/rate-limits.js';
import { testConfig } from '../support/test-app.js';

/**
 * The sign-in throttle's arithmetic, in memory. Only `Date` is faked: the limiters read the
 * clock, and these tests move it instead of waiting out each wait.
 */
describe('RateLimits sign-in throttle', () => {
  let sut: RateLimits;
  let nextAddress = 0;
  const address = () => `192.0.2.${++nextAddress}`;
  const moveClock = (seconds: number): void => jest.setSystemTime(Date.now() + seconds * 1000);

  /** The wait an attempt is refused with, or 0 when it may check its password. */
  async function attempt(account: string, from: string): Promise<number> {
    try {
      await sut.countSignIn(account, from);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return error.details.retryAfterSeconds!;
    }
  }

  beforeEach(() => {
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'clearTimeout'],
    });
    sut = new RateLimits(
      testConfig({
        LOGIN_FAILURES_PER_ACCOUNT: '4',
        LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: '1000',
        LOGIN_FAILURES_PER_ADDRESS: '1000',
      }),
    );
  });
  afterEach(() => jest.useRealTimers());

  it('doubles an account’s wait with every attempt that reaches a password, up to 15 minutes', async () => {
    for (let i = 0; i < 4; i++) expect(await attempt('ann@example.test', address())).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = await attempt('ann@example.test', address());
      waits.push(wait);
      // Waiting it out lets exactly one attempt through, which then waits twice as long.
      moveClock(wait);
      expect(await attempt('ann@example.test', address())).toBe(0);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    expect(Math.max(...waits)).toBe(MAX_SIGN_IN_WAIT_SECONDS);
  });

  it('does not make an account wait longer for attempts refused while it waits', async () => {
    for (let i = 0; i < 4; i++) await attempt('bob@example.test', address());
    for (let i = 0; i < 20; i++) expect(await attempt('bob@example.test', address())).toBe(1);
    moveClock(1);
    expect(await attempt('bob@example.test', address())).toBe(0);
  });

  it('starts an account afresh once it signs in', async () => {
    for (let i = 0; i < 4; i++) await attempt('cy@example.test', address());
    await sut.signInSucceeded('cy@example.test', address());
    for (let i = 0; i < 3; i++) expect(await attempt('cy@example.test', address())).toBe(0);
  });
});
