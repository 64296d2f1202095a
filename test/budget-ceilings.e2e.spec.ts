import { INVARIANTS } from '../src/database/invariants.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const RAISE_NEED_RATE = `mutation($input: RaiseNeedRateInput!) {
  raiseNeedRate(input: $input) { need { id status ratePerHour budget } }
}`;
const SET_MARKET_SETTINGS = `mutation($input: SetMarketSettingsInput!) {
  setMarketSettings(input: $input) { marketSettings { maxRatePerHour } }
}`;
const MARKET_SETTINGS = `{ marketSettings { maxRatePerHour } }`;

/** What the market allows when nobody has changed it. */
const DEFAULT_MAX_RATE = 500;
/**
 * A maximum this file sets for a moment. Other test files run alongside on the same database and
 * post and bid at rates up to 120, so a maximum of 200 never refuses them.
 */
const LOWERED_MAX_RATE = 200;

describe('Budgets are ceilings', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let probe: LedgerProbe;
  let admin: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
    probe = new LedgerProbe(sut.dataSource);
    admin = await factory.admin();
  });
  afterAll(() => sut.close());

  const raise = (who: Person, needId: string, ratePerHour: number) =>
    sut.gql(RAISE_NEED_RATE, { input: { needId, ratePerHour } }, who.token);
  const setMaximum = (who: Person, maxRatePerHour: number) =>
    sut.gql(SET_MARKET_SETTINGS, { input: { maxRatePerHour } }, who.token);
  const fieldOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.field;

  /** The need's rate, its budget, what went into its escrow, and its accepted bids' rates. */
  async function books(needId: string) {
    const [row] = await sut.dataSource.query(
      `SELECT n.rate_per_hour AS rate, (n.hours_per_week * n.weeks * n.rate_per_hour)::int AS budget,
              (SELECT coalesce(sum(t.amount), 0)::int FROM transfer t WHERE t.to_account_id = n.escrow_account_id) AS "paidIn",
              (SELECT coalesce(array_agg(b.rate_per_hour ORDER BY b.seq), '{}') FROM bid b
                WHERE b.need_id = n.id AND b.status = 'ACCEPTED') AS "acceptedRates"
         FROM need n WHERE n.id = $1`,
      [needId],
    );
    return row as { rate: number; budget: number; paidIn: number; acceptedRates: number[] };
  }

  /** The rows breaking the invariants this feature added (the last two of the list). */
  async function ceilingViolations(): Promise<string[]> {
    const violations: string[] = [];
    for (const [violation, sql] of INVARIANTS.slice(-2)) {
      const rows = (await sut.dataSource.query(sql)) as unknown[];
      if (rows.length > 0) violations.push(`${violation}: ${JSON.stringify(rows)}`);
    }
    return violations;
  }

  describe("a bid asks at most its need's rate", () => {
    it("refuses a bid above the need's rate, naming input.ratePerHour, and changes nothing", async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 1 }); // 10/h: 40 at most

      const result = await market.placeBid(worker, needId, 4, 25);

      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(fieldOf(result)).toBe('input.ratePerHour');
      expect(result.errors![0].message).toMatch(/10/);
      const [{ bids }] = await sut.dataSource.query(
        `SELECT count(*)::int AS bids FROM bid WHERE need_id = $1`,
        [needId],
      );
      expect(bids).toBe(0);
      expect(await probe.eventsBy(worker.employee.id)).toBe(0);
    });

    it("takes a bid at the need's rate or below", async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 1 });
      await market.engage(lead, await market.bid(await factory.person(), needId, 2, 10));
      await market.engage(lead, await market.bid(await factory.person(), needId, 2, 7));
      expect(await books(needId)).toEqual({
        rate: 10,
        budget: 40,
        paidIn: 20 + 14,
        acceptedRates: [10, 7],
      });
    });

    it("refuses to accept a bid asking more than the need's rate (one placed before ceilings)", async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 1 });
      const bidId = await market.bid(await factory.person(), needId, 4, 10);
      // As a bid placed before budgets were ceilings could be.
      await sut.dataSource.query(`UPDATE bid SET rate_per_hour = 25 WHERE id = $1`, [bidId]);
      const before = await market.snapshot(needId, bidId);

      const result = await market.accept(lead, bidId);

      expect(codes(result)).toEqual(['CONFLICT']);
      expect(result.errors![0].message).toMatch(/25/);
      expect(await market.snapshot(needId, bidId)).toEqual(before);
    });
  });

  describe('raiseNeedRate', () => {
    it('lets a lead of the buying team raise the rate: existing bids and engagements keep theirs, new bids may ask the new rate', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 6, weeks: 2 }); // 120 at most
      const early = await market.engage(lead, await market.bid(await factory.person(), needId, 2));
      const pending = await market.bid(await factory.person(), needId, 2, 10);
      const late = await factory.person();
      expect(codes(await market.placeBid(late, needId, 2, 15))).toEqual(['BAD_USER_INPUT']);

      const raised = await raise(lead, needId, 15);

      expectOk(raised);
      expect(raised.data!.raiseNeedRate.need).toEqual({
        id: needId,
        status: 'OPEN',
        ratePerHour: 15,
        budget: 6 * 2 * 15,
      });
      const lateBid = await market.bid(late, needId, 2, 15);
      await market.engage(lead, lateBid);
      await market.engage(lead, pending);
      const rates = await sut.dataSource.query(
        `SELECT g.rate_per_hour AS rate FROM engagement g WHERE g.need_id = $1 ORDER BY g.created_at, g.id`,
        [needId],
      );
      expect(rates.map((r: { rate: number }) => r.rate).sort()).toEqual([10, 10, 15]);
      const [engagement] = await sut.dataSource.query(
        `SELECT rate_per_hour AS rate FROM engagement WHERE id = $1`,
        [early],
      );
      expect(engagement.rate).toBe(10);
      expect(await books(needId)).toEqual({
        rate: 15,
        budget: 180,
        paidIn: 40 + 60 + 40,
        acceptedRates: [10, 10, 15],
      });
      const [event] = await sut.dataSource.query(
        `SELECT actor_id AS "actorId", subject_type AS "subjectType", payload FROM event
          WHERE action = 'need.raiseRate' AND subject_id = $1`,
        [needId],
      );
      expect(event).toEqual({
        actorId: lead.employee.id,
        subjectType: 'Need',
        payload: { from: 10, to: 15 },
      });
    });

    it("lets the buying initiative's owner raise its need's rate", async () => {
      const sponsor = await factory.lead(await factory.team({ credits: 1_000 }));
      const owner = await factory.person();
      const initiativeId = await new Ideas(sut).initiative(owner, sponsor.team, sponsor, [
        { lead: sponsor, team: sponsor.team, amount: 500 },
      ]);
      const posted = await sut.gql(
        `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "Help", hoursPerWeek: 2, weeks: 2, ratePerHour: 10 }) { need { id } } }`,
        { id: initiativeId },
        owner.token,
      );
      expectOk(posted);
      const needId = posted.data!.postNeed.need.id;
      expect(codes(await raise(sponsor, needId, 20))).toEqual(['FORBIDDEN']);
      expectOk(await raise(owner, needId, 20));
      expect((await books(needId)).rate).toBe(20);
    });

    it('refuses anyone who does not act for the buyer (FORBIDDEN), changing nothing', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const member = await factory.person({ team });
      const otherLead = await factory.lead();
      for (const who of [member, otherLead, admin]) {
        expect(codes(await raise(who, needId, 20))).toEqual(['FORBIDDEN']);
      }
      expect((await books(needId)).rate).toBe(10);
    });

    it('refuses a need that is not OPEN (INVALID_TRANSITION)', async () => {
      const { team, lead } = await market.buyer();
      const filled = await market.postNeed(lead, team, { hoursPerWeek: 2 });
      await market.engage(lead, await market.bid(await factory.person(), filled, 2));
      const closed = await market.postNeed(lead, team);
      expectOk(await market.close(lead, closed));

      for (const needId of [filled, closed]) {
        expect(codes(await raise(lead, needId, 20))).toEqual(['INVALID_TRANSITION']);
        expect((await books(needId)).rate).toBe(10);
      }
    });

    it('only raises: an equal or lower rate is BAD_USER_INPUT on input.ratePerHour', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      for (const rate of [10, 9, 1]) {
        const result = await raise(lead, needId, rate);
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        expect(fieldOf(result)).toBe('input.ratePerHour');
      }
      expect((await books(needId)).rate).toBe(10);
      expect(codes(await raise(lead, needId, 0))).toEqual(['BAD_USER_INPUT']);
    });

    it('moves no money: a buyer who could not afford the new budget may raise, and acceptBid checks the funds', async () => {
      const { team, lead } = await market.buyer(100);
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 2 }); // 80
      expectOk(await raise(lead, needId, 20)); // 160 > 100
      expect(await probe.teamBalance(team.id)).toBe(100);
      const bidId = await market.bid(await factory.person(), needId, 4, 20);
      expect(codes(await market.accept(lead, bidId))).toEqual(['INSUFFICIENT_FUNDS']);
    });
  });

  describe("the market's maximum rate", () => {
    it('is shown to anyone signed in', async () => {
      const result = await sut.gql(MARKET_SETTINGS, {}, (await factory.person()).token);
      expectOk(result);
      expect(result.data!.marketSettings).toEqual({ maxRatePerHour: DEFAULT_MAX_RATE });
    });

    it('refuses postNeed, raiseNeedRate and placeBid above it; only an admin changes it, audited, and existing needs keep their rates', async () => {
      const { team, lead } = await market.buyer(1_000_000);
      const dear = await market.postNeed(lead, team, {
        hoursPerWeek: 1,
        weeks: 1,
        ratePerHour: 300,
      });
      const cheap = await market.postNeed(lead, team, { hoursPerWeek: 1, weeks: 1 });
      expect(codes(await setMaximum(lead, LOWERED_MAX_RATE))).toEqual(['FORBIDDEN']);
      const before = await sut.dataSource.query(
        `SELECT count(*)::int AS n FROM event WHERE action = 'market.settings'`,
      );
      const set = await setMaximum(admin, LOWERED_MAX_RATE);
      try {
        expectOk(set);
        expect(set.data!.setMarketSettings.marketSettings).toEqual({
          maxRatePerHour: LOWERED_MAX_RATE,
        });
        const [event] = await sut.dataSource.query(
          `SELECT actor_id AS "actorId", payload FROM event
            WHERE action = 'market.settings' ORDER BY seq DESC LIMIT 1`,
        );
        expect(event).toEqual({
          actorId: admin.employee.id,
          payload: { maxRatePerHour: { from: DEFAULT_MAX_RATE, to: LOWERED_MAX_RATE } },
        });
        const after = await sut.dataSource.query(
          `SELECT count(*)::int AS n FROM event WHERE action = 'market.settings'`,
        );
        expect(after[0].n).toBe(before[0].n + 1);

        const posted = await sut.gql(
          `mutation($team: ID!) { postNeed(input: { buyerTeamId: $team, title: "Dear", hoursPerWeek: 1, weeks: 1, ratePerHour: ${LOWERED_MAX_RATE + 1} }) { need { id } } }`,
          { team: team.id },
          lead.token,
        );
        const raised = await raise(lead, cheap, LOWERED_MAX_RATE + 1);
        const bid = await market.placeBid(await factory.person(), dear, 1, LOWERED_MAX_RATE + 1);
        for (const refused of [posted, raised, bid]) {
          expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
          expect(fieldOf(refused)).toBe('input.ratePerHour');
          expect(refused.errors![0].message).toContain(String(LOWERED_MAX_RATE));
        }
        expect((await books(dear)).rate).toBe(300);
        expect((await books(cheap)).rate).toBe(10);
        // At the maximum is fine.
        expectOk(await raise(lead, cheap, LOWERED_MAX_RATE));
        await market.engage(
          lead,
          await market.bid(await factory.person(), dear, 1, LOWERED_MAX_RATE),
        );
      } finally {
        expectOk(await setMaximum(admin, DEFAULT_MAX_RATE));
      }
    });

    it('refuses a maximum outside 1 to 10 000', async () => {
      for (const maxRatePerHour of [0, 10_001]) {
        const result = await setMaximum(admin, maxRatePerHour);
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        expect(fieldOf(result)).toBe('input.maxRatePerHour');
      }
    });
  });

  describe('under concurrent requests', () => {
    it('never escrows more than the budget while raises, bids and acceptances race', async () => {
      for (let round = 0; round < 3; round++) {
        const { team, lead } = await market.buyer(1_000_000);
        const needId = await market.postNeed(lead, team, { hoursPerWeek: 6, weeks: 2 });
        const early = await Promise.all(
          [1, 2, 3].map(async () => market.bid(await factory.person(), needId, 1, 10)),
        );
        const late = await Promise.all([1, 2, 3].map(() => factory.person()));

        const [raises, placed, accepted] = await Promise.all([
          Promise.all([20, 15, 25].map((rate) => raise(lead, needId, rate))),
          Promise.all(late.map((worker) => market.placeBid(worker, needId, 1, 25))),
          Promise.all(early.map((bidId) => market.accept(lead, bidId))),
        ]);

        for (const result of raises) expect([[], ['BAD_USER_INPUT']]).toContainEqual(codes(result));
        expect(raises.some((result) => !result.errors)).toBe(true);
        for (const result of placed) expect([[], ['BAD_USER_INPUT']]).toContainEqual(codes(result));
        for (const result of accepted) expect(codes(result)).toEqual([]);
        // Whatever bids went in are accepted now, at whatever rate the need has come to.
        for (const result of placed.filter((r) => !r.errors)) {
          expectOk(await market.accept(lead, result.data!.placeBid.bid.id));
        }
        const need = await books(needId);
        expect(need.rate).toBe(25);
        expect(need.paidIn).toBeLessThanOrEqual(need.budget);
        expect(need.acceptedRates.every((rate) => rate <= need.rate)).toBe(true);
        expect(need.paidIn).toBe(3 * 2 * 10 + placed.filter((r) => !r.errors).length * 2 * 25);
      }
      expect(await ceilingViolations()).toEqual([]);
    });
  });
});
