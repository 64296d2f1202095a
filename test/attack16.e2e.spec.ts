import { randomBytes } from 'node:crypto';
import { findViolations } from '../src/database/invariants.js';
import { Factory } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = randomBytes(32).toString('base64url');

describe('attacks on the performance and operations work (issue 16)', () => {
  describe('Prometheus metrics', () => {
    let sut: TestApp;
    const scrape = async (): Promise<string> => {
      const response = await fetch(`${sut.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      return response.text();
    };

    beforeAll(async () => {
      sut = await startTestApp({ METRICS_TOKEN: TOKEN });
    });
    afterAll(() => sut.close());

    it('keeps no huge operation name a client chose as a label', async () => {
      // One GraphQL token however long: the document limits never see it. Kept as a label it
      // is held for the instance's life and written on every bucket line of every scrape.
      const name = `Huge${'x'.repeat(100_000)}`;
      const answer = await sut.gql(`query ${name} { __typename }`);
      expect(answer.errors).toBeUndefined();
      const text = await scrape();
      expect(text).not.toContain(name.slice(0, 1_000));
      expect(text.length).toBeLessThan(100_000);
    });
  });

  describe('the weekly hours summary', () => {
    let sut: TestApp;
    let market: Market;

    beforeAll(async () => {
      sut = await startTestApp();
      market = new Market(sut, new Factory(sut));
    });
    afterAll(() => sut.close());

    it('agrees with the time logs after concurrent logging, approvals and disputes of one team', async () => {
      const buyer = await market.buyer(100_000);
      const home = await market.factory.team();
      const workers = await Promise.all(
        Array.from({ length: 6 }, () =>
          market.factory.person({ team: home, weeklyCapacityHours: 40 }),
        ),
      );
      const work: string[] = [];
      for (const worker of workers) {
        const need = await market.postNeed(buyer.lead, buyer.team, {
          hoursPerWeek: 10,
          weeks: 2,
          ratePerHour: 10,
        });
        work.push(await market.engage(buyer.lead, await market.bid(worker, need, 10, 10)));
      }
      // Every log of the team this week lands on the same summary rows at the same time.
      const logged = await Promise.all(
        workers.flatMap((worker, i) => [
          market.logTime(worker, work[i], 2),
          market.logTime(worker, work[i], 3),
        ]),
      );
      logged.forEach((answer) => expectOk(answer));
      const weeks = await Promise.all(work.map((id) => market.week(buyer.lead, id)));
      const reviewed = await Promise.all(
        weeks.map((week, i) =>
          i % 2 === 0
            ? market.approveTimesheet(buyer.lead, week.id)
            : market.disputeTimesheet(buyer.lead, week.id),
        ),
      );
      reviewed.forEach((answer) => expectOk(answer));

      const runner = sut.dataSource.createQueryRunner();
      try {
        const query = async (sql: string) => ({
          rowCount: ((await runner.query(sql)) as unknown[] | undefined)?.length ?? 0,
        });
        expect(await findViolations(query)).toEqual([]);
      } finally {
        await runner.release();
      }
      const [summary] = (await sut.dataSource.query(
        `SELECT coalesce(sum(hours) FILTER (WHERE status = 'APPROVED'), 0)::int AS approved,
                coalesce(sum(hours) FILTER (WHERE status = 'DISPUTED'), 0)::int AS disputed
           FROM team_hours_week WHERE team_id = $1`,
        [home.id],
      )) as { approved: number; disputed: number }[];
      expect(summary).toEqual({ approved: 15, disputed: 15 });
    });
  });
});
