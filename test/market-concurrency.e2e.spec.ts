import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Clock } from '../src/common/clock/clock.js';
import { Factory, LedgerProbe } from './support/factories.js';
import { Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/** Its own database: the time-log race moves the service's clock into a second week. */
describe('The market under concurrent requests', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let probe: LedgerProbe;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({}, database.url);
    factory = new Factory(sut);
    market = new Market(sut, factory);
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('accepts exactly 10 of 50 concurrent bids on a need whose hours fit only 10', async () => {
    const { team, lead } = await market.buyer(100_000);
    const needId = await market.postNeed(lead, team, {
      hoursPerWeek: 10,
      weeks: 3,
      ratePerHour: 7,
    });
    const suppliers = await factory.team();
    const workers = await Promise.all(
      Array.from({ length: 50 }, () => factory.person({ team: suppliers })),
    );
    const bids = await Promise.all(workers.map((worker) => market.bid(worker, needId, 1, 7)));

    const results = await Promise.all(bids.map((bidId) => market.accept(lead, bidId)));
    const accepted = results.filter((r) => !r.errors);
    expect(accepted).toHaveLength(10);
    for (const refused of results.filter((r) => r.errors)) {
      expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(codes(refused)[0]);
    }
    const [need] = await sut.dataSource.query(
      `SELECT n.accepted_hours_per_week AS accepted, n.status, a.balance::int AS escrow,
              (SELECT count(*)::int FROM engagement WHERE need_id = n.id) AS engagements,
              (SELECT count(*)::int FROM bid WHERE need_id = n.id AND status = 'ACCEPTED') AS "acceptedBids"
         FROM need n JOIN account a ON a.id = n.escrow_account_id WHERE n.id = $1`,
      [needId],
    );
    expect(need).toEqual({
      accepted: 10,
      status: 'FILLED',
      escrow: 10 * 3 * 7,
      engagements: 10,
      acceptedBids: 10,
    });
    expect(await probe.teamBalance(team.id)).toBe(100_000 - 210);
    expect(await probe.sumOfBalances()).toBe(0);
  });

  it('accepts exactly 2 of 5 concurrent 4-hour engagements for someone with 8 spare hours', async () => {
    const worker = await factory.person({ weeklyCapacityHours: 8 });
    const { team, lead } = await market.buyer();
    const needs = await Promise.all(
      Array.from({ length: 5 }, () => market.postNeed(lead, team, { hoursPerWeek: 4 })),
    );
    const bids = await Promise.all(needs.map((needId) => market.bid(worker, needId, 4)));

    const results = await Promise.all(bids.map((bidId) => market.accept(lead, bidId)));
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    expect(results.filter((r) => r.errors).map((r) => codes(r)[0])).toEqual([
      'CAPACITY_EXCEEDED',
      'CAPACITY_EXCEEDED',
      'CAPACITY_EXCEEDED',
    ]);
    const [employee] = await sut.dataSource.query(
      `SELECT committed_hours_per_week AS committed,
              (SELECT count(*)::int FROM engagement WHERE employee_id = e.id AND status = 'ACTIVE') AS active
         FROM employee e WHERE id = $1`,
      [worker.employee.id],
    );
    expect(employee).toEqual({ committed: 8, active: 2 });
  });

  it('100 concurrent time logs never put more than hoursPerWeek in a week nor more than the total; approvals then pay exactly the logged hours', async () => {
    // 5 h a week for 2 weeks, accepted on a Wednesday. On the Monday after, the first week still
    // takes late hours and the second has begun: the logs race for both weeks' limits at once,
    // and together those are the engagement's total.
    let now = new Date('2026-03-04T12:00:00Z');
    const clock = jest.spyOn(sut.app.get(Clock), 'now').mockImplementation(() => now);
    try {
      const { team, lead } = await market.buyer();
      const supplier = await factory.team();
      const worker = await factory.person({ team: supplier });
      const needId = await market.postNeed(lead, team, {
        hoursPerWeek: 5,
        weeks: 2,
        ratePerHour: 13,
      });
      const engagementId = await market.engage(lead, await market.bid(worker, needId, 5, 13));

      now = new Date('2026-03-09T10:00:00Z');
      const days = ['2026-03-02', '2026-03-04', '2026-03-08', '2026-03-09'];
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          market.logTime(worker, engagementId, 1, undefined, days[i % days.length]),
        ),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(10);
      for (const refused of results.filter((r) => r.errors)) {
        expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(codes(refused)[0]);
      }
      const weeks = await market.weeks(lead, engagementId);
      expect(weeks.map((w) => [w.weekStart, w.pendingHours])).toEqual([
        ['2026-03-02', 5],
        ['2026-03-09', 5],
      ]);
      // Logged, not yet paid: the escrow still holds every hour.
      expect(await probe.teamBalance(supplier.id)).toBe(0);
      const state = async () =>
        (
          await sut.dataSource.query(
            `SELECT g.logged_hours AS logged, g.status, a.balance::int AS escrow,
                    (SELECT count(*)::int FROM time_log WHERE engagement_id = g.id) AS logs
               FROM engagement g JOIN need n ON n.id = g.need_id JOIN account a ON a.id = n.escrow_account_id
              WHERE g.id = $1`,
            [engagementId],
          )
        )[0];
      expect(await state()).toEqual({ logged: 10, status: 'COMPLETED', escrow: 130, logs: 10 });

      // Each week approved twice at once (a double click, two tabs): paid once each.
      const approvals = await Promise.all(
        weeks.flatMap((w) => [w, w]).map((w) => market.approveTimesheet(lead, w.id)),
      );
      expect(approvals.filter((r) => !r.errors)).toHaveLength(2);
      for (const refused of approvals.filter((r) => r.errors)) {
        expect(codes(refused)).toEqual(['INVALID_TRANSITION']);
      }
      expect(await probe.teamBalance(supplier.id)).toBe(10 * 13);
      expect(await state()).toEqual({ logged: 10, status: 'COMPLETED', escrow: 0, logs: 10 });
      expect(await probe.sumOfBalances()).toBe(0);
    } finally {
      clock.mockRestore();
    }
  });

  it('applies a retried acceptance once, whatever the number of concurrent retries', async () => {
    const { team, lead } = await market.buyer(1_000);
    const needId = await market.postNeed(lead, team, {
      hoursPerWeek: 4,
      weeks: 2,
      ratePerHour: 10,
    });
    const bidId = await market.bid(await factory.person(), needId, 4);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => market.accept(lead, bidId, key)),
    );
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((r) => r.data!.acceptBid.engagement.id)).size).toBe(1);
    expect(await probe.teamBalance(team.id)).toBe(1_000 - 80);
  });
});
