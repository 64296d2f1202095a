import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { Market } from './support/market.js';
import { codes, startTestApp, type TestApp, type GraphQLResponse } from './support/test-app.js';

/**
 * Model-based tests: random sequences of lifecycle commands run against the service and against
 * a small model of the rules; after every command the two must agree on the answer (success or
 * the error code) and on the state (statuses, hours, escrow and every balance involved).
 * MODEL_RUNS sets how many random sequences each runs (30; 15 for the slower initiative one).
 */
describe('Lifecycles against a model', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;
  let probe: LedgerProbe;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ideas = new Ideas(sut);
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(() => sut.close());

  /** The answer as the model states it: 'OK' or the first error code. */
  const answer = (result: GraphQLResponse) => codes(result)[0] ?? 'OK';
  const row = async <T>(sql: string, params: unknown[]): Promise<T> =>
    ((await sut.dataSource.query(sql, params)) as T[])[0];
  const committedHours = async (person: Person): Promise<number> =>
    (
      await row<{ committed: number }>(
        `SELECT committed_hours_per_week AS committed FROM employee WHERE id = $1`,
        [person.employee.id],
      )
    ).committed;

  describe('a need, its bids, engagements and time', () => {
    type BidStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'WITHDRAWN';
    interface Model {
      status: 'OPEN' | 'FILLED' | 'CLOSED' | 'CANCELLED';
      hours: number;
      weeks: number;
      accepted: number;
      escrow: number;
      buyer: number;
      capacity: number[];
      committed: number[];
      earned: number[];
      bids: { id: string; worker: number; hours: number; rate: number; status: BidStatus }[];
      engagements: {
        id: string;
        worker: number;
        hours: number;
        total: number;
        logged: number;
        rate: number;
        status: 'ACTIVE' | 'COMPLETED' | 'ENDED';
      }[];
    }
    interface Real {
      needId: string;
      buyer: TeamEntity;
      lead: Person;
      workers: Person[];
      teams: TeamEntity[];
    }
    type Command = fc.AsyncCommand<Model, Real>;
    const latestBid = (m: Model, worker: number) =>
      m.bids.filter((b) => b.worker === worker).at(-1);
    const latestEngagement = (m: Model, worker: number) =>
      m.engagements.filter((e) => e.worker === worker).at(-1);

    /** Statuses, hours, escrow and balances: the service's against the model's. */
    async function agree(m: Model, r: Real): Promise<void> {
      const need = await row<{ status: string; accepted: number }>(
        `SELECT status, accepted_hours_per_week AS accepted FROM need WHERE id = $1`,
        [r.needId],
      );
      expect(need).toEqual({ status: m.status, accepted: m.accepted });
      const escrow = await row<{ balance: string }>(
        `SELECT a.balance FROM need n JOIN account a ON a.id = n.escrow_account_id WHERE n.id = $1`,
        [r.needId],
      );
      expect(Number(escrow.balance)).toBe(m.escrow);
      expect(await probe.teamBalance(r.buyer.id)).toBe(m.buyer);
      for (const [i, worker] of r.workers.entries()) {
        expect(await committedHours(worker)).toBe(m.committed[i]);
        expect(await probe.teamBalance(r.teams[i].id)).toBe(m.earned[i]);
      }
      for (const bid of m.bids) {
        const real = await row<{ status: string }>(`SELECT status FROM bid WHERE id = $1`, [
          bid.id,
        ]);
        expect(real.status).toBe(bid.status);
      }
    }

    class PlaceBid implements Command {
      constructor(
        readonly worker: number,
        readonly hours: number,
        readonly rate: number,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const live = m.bids.some(
          (b) => b.worker === this.worker && (b.status === 'PENDING' || b.status === 'ACCEPTED'),
        );
        const expected =
          m.status !== 'OPEN'
            ? 'INVALID_TRANSITION'
            : this.hours > m.hours - m.accepted
              ? 'CONFLICT'
              : this.hours > m.capacity[this.worker] - m.committed[this.worker]
                ? 'CAPACITY_EXCEEDED'
                : live
                  ? 'CONFLICT'
                  : 'OK';
        const result = await market.placeBid(
          r.workers[this.worker],
          r.needId,
          this.hours,
          this.rate,
        );
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          m.bids.push({
            id: result.data!.placeBid.bid.id,
            worker: this.worker,
            hours: this.hours,
            rate: this.rate,
            status: 'PENDING',
          });
        }
        await agree(m, r);
      }
      toString = () => `placeBid(w${this.worker}, ${this.hours} h, ${this.rate}/h)`;
    }

    class DecideBid implements Command {
      constructor(
        readonly worker: number,
        readonly decision: 'withdraw' | 'reject',
      ) {}
      check = (m: Readonly<Model>) => latestBid(m as Model, this.worker) !== undefined;
      async run(m: Model, r: Real) {
        const bid = latestBid(m, this.worker)!;
        const expected = bid.status === 'PENDING' ? 'OK' : 'INVALID_TRANSITION';
        const result =
          this.decision === 'withdraw'
            ? await sut.gql(
                `mutation($id: ID!) { withdrawBid(input: { bidId: $id }) { bid { id } } }`,
                { id: bid.id },
                r.workers[this.worker].token,
              )
            : await sut.gql(
                `mutation($id: ID!) { rejectBid(input: { bidId: $id }) { bid { id } } }`,
                { id: bid.id },
                r.lead.token,
              );
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') bid.status = this.decision === 'withdraw' ? 'WITHDRAWN' : 'REJECTED';
        await agree(m, r);
      }
      toString = () => `${this.decision}Bid(w${this.worker})`;
    }

    class AcceptBid implements Command {
      constructor(readonly worker: number) {}
      check = (m: Readonly<Model>) => latestBid(m as Model, this.worker) !== undefined;
      async run(m: Model, r: Real) {
        const bid = latestBid(m, this.worker)!;
        const cost = bid.hours * m.weeks * bid.rate;
        const expected =
          bid.status !== 'PENDING' || m.status !== 'OPEN'
            ? 'INVALID_TRANSITION'
            : bid.hours > m.hours - m.accepted
              ? 'CONFLICT'
              : m.committed[this.worker] + bid.hours > m.capacity[this.worker]
                ? 'CAPACITY_EXCEEDED'
                : cost > m.buyer
                  ? 'INSUFFICIENT_FUNDS'
                  : 'OK';
        const result = await market.accept(r.lead, bid.id);
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          m.accepted += bid.hours;
          m.committed[this.worker] += bid.hours;
          m.buyer -= cost;
          m.escrow += cost;
          bid.status = 'ACCEPTED';
          m.engagements.push({
            id: result.data!.acceptBid.engagement.id,
            worker: this.worker,
            hours: bid.hours,
            total: bid.hours * m.weeks,
            logged: 0,
            rate: bid.rate,
            status: 'ACTIVE',
          });
          if (m.accepted === m.hours) {
            m.status = 'FILLED';
            for (const other of m.bids) if (other.status === 'PENDING') other.status = 'REJECTED';
          }
        }
        await agree(m, r);
      }
      toString = () => `acceptBid(w${this.worker})`;
    }

    class LogTime implements Command {
      constructor(
        readonly worker: number,
        readonly hours: number,
      ) {}
      check = (m: Readonly<Model>) => latestEngagement(m as Model, this.worker) !== undefined;
      async run(m: Model, r: Real) {
        const engagement = latestEngagement(m, this.worker)!;
        const expected =
          engagement.status !== 'ACTIVE'
            ? 'INVALID_TRANSITION'
            : engagement.logged + this.hours > engagement.total
              ? 'CONFLICT'
              : 'OK';
        const result = await market.logTime(r.workers[this.worker], engagement.id, this.hours);
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          engagement.logged += this.hours;
          m.escrow -= this.hours * engagement.rate;
          m.earned[this.worker] += this.hours * engagement.rate;
          if (engagement.logged === engagement.total) {
            engagement.status = 'COMPLETED';
            m.committed[this.worker] -= engagement.hours;
          }
        }
        await agree(m, r);
      }
      toString = () => `logTime(w${this.worker}, ${this.hours} h)`;
    }

    class CloseNeed implements Command {
      check = () => true;
      async run(m: Model, r: Real) {
        const expected = m.status === 'OPEN' || m.status === 'FILLED' ? 'OK' : 'INVALID_TRANSITION';
        expect(answer(await market.close(r.lead, r.needId))).toBe(expected);
        if (expected === 'OK') {
          for (const engagement of m.engagements) {
            if (engagement.status !== 'ACTIVE') continue;
            engagement.status = 'ENDED';
            m.committed[engagement.worker] -= engagement.hours;
          }
          for (const bid of m.bids) if (bid.status === 'PENDING') bid.status = 'REJECTED';
          m.buyer += m.escrow;
          m.escrow = 0;
          m.status = m.accepted > 0 ? 'CLOSED' : 'CANCELLED';
        }
        await agree(m, r);
      }
      toString = () => 'closeNeed';
    }

    const worker = fc.integer({ min: 0, max: 2 });
    const commands = [
      fc
        .tuple(worker, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }))
        .map(([w, h, rate]) => new PlaceBid(w, h, rate)),
      worker.map((w) => new DecideBid(w, 'withdraw')),
      worker.map((w) => new DecideBid(w, 'reject')),
      worker.map((w) => new AcceptBid(w)),
      worker.map((w) => new AcceptBid(w)),
      fc.tuple(worker, fc.integer({ min: 1, max: 6 })).map(([w, h]) => new LogTime(w, h)),
      fc.tuple(worker, fc.integer({ min: 1, max: 6 })).map(([w, h]) => new LogTime(w, h)),
      fc.constant(new CloseNeed()),
    ];

    it('agrees with the model on every answer and every balance', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            credits: fc.integer({ min: 20, max: 400 }),
            hours: fc.integer({ min: 1, max: 6 }),
            weeks: fc.integer({ min: 1, max: 3 }),
            capacity: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 3 }),
          }),
          fc.commands(commands, { maxCommands: 25 }),
          async (world, sequence) => {
            const { team: buyer, lead } = await market.buyer(world.credits);
            const teams = [await factory.team(), await factory.team(), await factory.team()];
            const workers: Person[] = [];
            for (const [i, team] of teams.entries()) {
              workers.push(await factory.person({ team, weeklyCapacityHours: world.capacity[i] }));
            }
            const needId = await market.postNeed(lead, buyer, {
              hoursPerWeek: world.hours,
              weeks: world.weeks,
            });
            const model: Model = {
              status: 'OPEN',
              hours: world.hours,
              weeks: world.weeks,
              accepted: 0,
              escrow: 0,
              buyer: world.credits,
              capacity: world.capacity,
              committed: [0, 0, 0],
              earned: [0, 0, 0],
              bids: [],
              engagements: [],
            };
            await fc.asyncModelRun(
              () => ({ model, real: { needId, buyer, lead, workers, teams } }),
              sequence,
            );
            expect(await probe.sumOfBalances()).toBe(0);
          },
        ),
        { numRuns: Number(process.env.MODEL_RUNS ?? 30) },
      );
    });
  });

  describe('an idea, its pledges and the decision', () => {
    type IdeaStatus = 'DRAFT' | 'SUBMITTED' | 'FUNDED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';
    interface Model {
      status: IdeaStatus;
      /** Never submitted (a draft, or a draft withdrawn): its proposer's alone. */
      unsubmitted: boolean;
      goal: number;
      pledged: number;
      /** Each funder team's balance, and what it pledged. */
      funds: number[];
      pledges: number[];
      initiative: number;
    }
    interface Real {
      ideaId: string;
      proposer: Person;
      sponsorLead: Person;
      funders: { team: TeamEntity; lead: Person }[];
    }
    type Command = fc.AsyncCommand<Model, Real>;

    async function agree(m: Model, r: Real): Promise<void> {
      const idea = await row<{ status: string; pledged: string; initiative: string | null }>(
        `SELECT d.status, d.pledged_total AS pledged, d.initiative_id AS initiative FROM idea d WHERE d.id = $1`,
        [r.ideaId],
      );
      expect({ status: idea.status, pledged: Number(idea.pledged) }).toEqual({
        status: m.status,
        pledged: m.pledged,
      });
      const escrow = await row<{ balance: string }>(
        `SELECT a.balance FROM idea d JOIN account a ON a.id = d.escrow_account_id WHERE d.id = $1`,
        [r.ideaId],
      );
      const held = m.status === 'SUBMITTED' || m.status === 'FUNDED' ? m.pledged : 0;
      expect(Number(escrow.balance)).toBe(held);
      for (const [i, funder] of r.funders.entries()) {
        expect(await probe.teamBalance(funder.team.id)).toBe(m.funds[i]);
      }
      if (m.status === 'APPROVED') {
        const budget = await row<{ balance: string }>(
          `SELECT a.balance FROM initiative i JOIN account a ON a.id = i.account_id WHERE i.id = $1`,
          [idea.initiative],
        );
        expect(Number(budget.balance)).toBe(m.initiative);
      }
    }

    const refundAll = (m: Model) => {
      m.pledges.forEach((amount, i) => (m.funds[i] += amount));
      m.pledges = m.pledges.map(() => 0);
    };

    class Submit implements Command {
      check = () => true;
      async run(m: Model, r: Real) {
        const expected = m.status === 'DRAFT' ? 'OK' : 'INVALID_TRANSITION';
        const result = await sut.gql(
          `mutation($id: ID!) { submitIdea(input: { ideaId: $id }) { idea { id } } }`,
          { id: r.ideaId },
          r.proposer.token,
        );
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          m.status = 'SUBMITTED';
          m.unsubmitted = false;
        }
        await agree(m, r);
      }
      toString = () => 'submit';
    }

    class Pledge implements Command {
      constructor(
        readonly funder: number,
        readonly amount: number,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const expected = m.unsubmitted
          ? 'NOT_FOUND' // a draft is its proposer's alone, withdrawn or not
          : m.status === 'FUNDED'
            ? 'CONFLICT'
            : m.status !== 'SUBMITTED'
              ? 'INVALID_TRANSITION'
              : this.amount > m.goal - m.pledged
                ? 'CONFLICT'
                : this.amount > m.funds[this.funder]
                  ? 'INSUFFICIENT_FUNDS'
                  : 'OK';
        const { team, lead } = r.funders[this.funder];
        const result = await ideas.pledge(lead, r.ideaId, team.id, this.amount);
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          m.pledged += this.amount;
          m.funds[this.funder] -= this.amount;
          m.pledges[this.funder] += this.amount;
          if (m.pledged === m.goal) m.status = 'FUNDED';
        }
        await agree(m, r);
      }
      toString = () => `pledge(f${this.funder}, ${this.amount})`;
    }

    class Decide implements Command {
      constructor(readonly decision: 'approve' | 'reject' | 'withdraw') {}
      check = () => true;
      async run(m: Model, r: Real) {
        const allowedFrom: Record<typeof this.decision, IdeaStatus[]> = {
          approve: ['FUNDED'],
          reject: ['SUBMITTED', 'FUNDED'],
          withdraw: ['DRAFT', 'SUBMITTED', 'FUNDED'],
        };
        const expected =
          m.unsubmitted && this.decision !== 'withdraw'
            ? 'NOT_FOUND'
            : allowedFrom[this.decision].includes(m.status)
              ? 'OK'
              : 'INVALID_TRANSITION';
        const mutation = {
          approve: `mutation($id: ID!) { approveIdea(input: { ideaId: $id }) { idea { id } } }`,
          reject: `mutation($id: ID!) { rejectIdea(input: { ideaId: $id, reason: "No" }) { idea { id } } }`,
          withdraw: `mutation($id: ID!) { withdrawIdea(input: { ideaId: $id }) { idea { id } } }`,
        }[this.decision];
        const caller = this.decision === 'withdraw' ? r.proposer : r.sponsorLead;
        const result = await sut.gql(mutation, { id: r.ideaId }, caller.token);
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          if (this.decision === 'approve') {
            m.status = 'APPROVED';
            m.initiative = m.pledged;
          } else {
            m.status = this.decision === 'reject' ? 'REJECTED' : 'WITHDRAWN';
            refundAll(m);
          }
        }
        await agree(m, r);
      }
      toString = () => this.decision;
    }

    class Endorse implements Command {
      constructor(readonly funder: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const result = await sut.gql(
          `mutation($id: ID!) { endorseIdea(input: { ideaId: $id, endorsed: true }) { idea { id } } }`,
          { id: r.ideaId },
          r.funders[this.funder].lead.token,
        );
        // Endorsing moves no money: whatever the answer, the books must not change.
        expect(answer(result)).not.toBe('INTERNAL_SERVER_ERROR');
        await agree(m, r);
      }
      toString = () => `endorse(f${this.funder})`;
    }

    const funder = fc.integer({ min: 0, max: 1 });
    const commands = [
      fc.constant(new Submit()),
      fc.tuple(funder, fc.integer({ min: 1, max: 300 })).map(([f, a]) => new Pledge(f, a)),
      fc.tuple(funder, fc.integer({ min: 1, max: 300 })).map(([f, a]) => new Pledge(f, a)),
      fc.tuple(funder, fc.integer({ min: 1, max: 300 })).map(([f, a]) => new Pledge(f, a)),
      fc.constantFrom('approve', 'reject', 'withdraw').map((d) => new Decide(d)),
      funder.map((f) => new Endorse(f)),
    ];

    it('agrees with the model on every answer, pledge and refund', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            goal: fc.integer({ min: 1, max: 400 }),
            funds: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 2, maxLength: 2 }),
          }),
          fc.commands(commands, { maxCommands: 20 }),
          async (world, sequence) => {
            const sponsor = await factory.team();
            const sponsorLead = await factory.person({ team: sponsor, leads: [sponsor] });
            const proposer = await factory.person({ team: sponsor });
            const funders: Real['funders'] = [];
            for (const credits of world.funds) {
              const team = await factory.team({ credits });
              funders.push({ team, lead: await factory.person({ team, leads: [team] }) });
            }
            const ideaId = await ideas.propose(
              proposer,
              sponsor,
              world.goal,
              `Model ${randomUUID()}`,
            );
            const model: Model = {
              status: 'DRAFT',
              unsubmitted: true,
              goal: world.goal,
              pledged: 0,
              funds: [...world.funds],
              pledges: [0, 0],
              initiative: 0,
            };
            await fc.asyncModelRun(
              () => ({ model, real: { ideaId, proposer, sponsorLead, funders } }),
              sequence,
            );
            expect(await probe.sumOfBalances()).toBe(0);
          },
        ),
        { numRuns: Number(process.env.MODEL_RUNS ?? 30) },
      );
    });
  });

  describe('an initiative: members, spending and its end', () => {
    interface Model {
      status: 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
      budget: number;
      /** What each funder pledged, and its balance. */
      funded: number[];
      funds: number[];
      capacity: number[];
      /** Hours a week each worker gives it; undefined when not a member. */
      member: (number | undefined)[];
      committed: number[];
    }
    interface Real {
      initiativeId: string;
      owner: Person;
      sponsorLead: Person;
      funders: TeamEntity[];
      workers: Person[];
      contractor: Person;
    }
    type Command = fc.AsyncCommand<Model, Real>;

    async function agree(m: Model, r: Real): Promise<void> {
      const initiative = await row<{ status: string; budget: string }>(
        `SELECT i.status, a.balance AS budget FROM initiative i JOIN account a ON a.id = i.account_id WHERE i.id = $1`,
        [r.initiativeId],
      );
      expect({ status: initiative.status, budget: Number(initiative.budget) }).toEqual({
        status: m.status,
        budget: m.status === 'ACTIVE' ? m.budget : 0,
      });
      for (const [i, worker] of r.workers.entries()) {
        expect(await committedHours(worker)).toBe(m.committed[i]);
      }
      for (const [i, team] of r.funders.entries()) {
        expect(await probe.teamBalance(team.id)).toBe(m.funds[i]);
      }
    }

    class Join implements Command {
      constructor(
        readonly worker: number,
        readonly hours: number,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const delta = this.hours - (m.member[this.worker] ?? 0);
        const expected =
          m.status !== 'ACTIVE'
            ? 'INVALID_TRANSITION'
            : m.committed[this.worker] + delta > m.capacity[this.worker]
              ? 'CAPACITY_EXCEEDED'
              : 'OK';
        const result = await sut.gql(
          `mutation($id: ID!, $hours: Int!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: $hours }) { membership { hoursPerWeek } } }`,
          { id: r.initiativeId, hours: this.hours },
          r.workers[this.worker].token,
        );
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          m.member[this.worker] = this.hours;
          m.committed[this.worker] += delta;
        }
        await agree(m, r);
      }
      toString = () => `join(w${this.worker}, ${this.hours} h)`;
    }

    class Leave implements Command {
      constructor(readonly worker: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const hours = m.member[this.worker];
        const expected = hours === undefined ? 'INVALID_TRANSITION' : 'OK';
        const result = await sut.gql(
          `mutation($id: ID!) { leaveInitiative(input: { initiativeId: $id }) { initiative { id } } }`,
          { id: r.initiativeId },
          r.workers[this.worker].token,
        );
        expect(answer(result)).toBe(expected);
        if (hours !== undefined) {
          m.member[this.worker] = undefined;
          m.committed[this.worker] -= hours;
        }
        await agree(m, r);
      }
      toString = () => `leave(w${this.worker})`;
    }

    /** The owner buys an hour on the market with the budget, and it is worked and paid. */
    class Spend implements Command {
      constructor(readonly rate: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const posted = await sut.gql(
          `mutation($id: ID!, $rate: Int!) { postNeed(input: { buyerInitiativeId: $id, title: "An hour", hoursPerWeek: 1, weeks: 1, ratePerHour: $rate }) { need { id } } }`,
          { id: r.initiativeId, rate: this.rate },
          r.owner.token,
        );
        if (m.status !== 'ACTIVE') {
          expect(answer(posted)).toBe('INVALID_TRANSITION');
          return agree(m, r);
        }
        expect(answer(posted)).toBe('OK');
        const bidId = await market.bid(r.contractor, posted.data!.postNeed.need.id, 1, this.rate);
        const accepted = await market.accept(r.owner, bidId);
        expect(answer(accepted)).toBe(this.rate > m.budget ? 'INSUFFICIENT_FUNDS' : 'OK');
        if (this.rate <= m.budget) {
          const engagementId = accepted.data!.acceptBid.engagement.id;
          expect(answer(await market.logTime(r.contractor, engagementId, 1))).toBe('OK');
          m.budget -= this.rate;
        }
        await agree(m, r);
      }
      toString = () => `spend(${this.rate})`;
    }

    class Finish implements Command {
      constructor(readonly how: 'complete' | 'cancel') {}
      check = () => true;
      async run(m: Model, r: Real) {
        const expected = m.status === 'ACTIVE' ? 'OK' : 'INVALID_TRANSITION';
        const result = await sut.gql(
          `mutation($id: ID!) { ${this.how}Initiative(input: { initiativeId: $id }) { refunds { amount } } }`,
          { id: r.initiativeId },
          (this.how === 'complete' ? r.owner : r.sponsorLead).token,
        );
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') {
          // What is left returns pro rata to the funders: each gets its exact share rounded
          // down or up, and together exactly what was left.
          const total = m.funded.reduce((a, b) => a + b, 0);
          const before = [...m.funds];
          for (const [i, team] of r.funders.entries()) {
            m.funds[i] = await probe.teamBalance(team.id);
            const share = (m.budget * m.funded[i]) / total;
            expect(m.funds[i] - before[i]).toBeGreaterThanOrEqual(Math.floor(share));
            expect(m.funds[i] - before[i]).toBeLessThanOrEqual(Math.ceil(share));
          }
          expect(m.funds.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)).toBe(
            m.budget,
          );
          m.status = this.how === 'complete' ? 'COMPLETED' : 'CANCELLED';
          m.budget = 0;
          m.member.forEach((hours, i) => (m.committed[i] -= hours ?? 0));
          m.member = m.member.map(() => undefined);
        }
        await agree(m, r);
      }
      toString = () => this.how;
    }

    const worker = fc.integer({ min: 0, max: 2 });
    const commands = [
      fc.tuple(worker, fc.integer({ min: 0, max: 5 })).map(([w, h]) => new Join(w, h)),
      fc.tuple(worker, fc.integer({ min: 0, max: 5 })).map(([w, h]) => new Join(w, h)),
      worker.map((w) => new Leave(w)),
      fc.integer({ min: 1, max: 120 }).map((rate) => new Spend(rate)),
      fc.constantFrom('complete', 'cancel').map((how) => new Finish(how)),
    ];

    it('agrees with the model on members, capacity, spending and pro-rata refunds', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            funded: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 2, maxLength: 2 }),
            capacity: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 3 }),
          }),
          fc.commands(commands, { maxCommands: 15 }),
          async (world, sequence) => {
            const sponsor = await factory.team();
            const sponsorLead = await factory.person({ team: sponsor, leads: [sponsor] });
            const owner = await factory.person({ team: sponsor });
            const funders: TeamEntity[] = [];
            const pledges = [];
            for (const amount of world.funded) {
              const team = await factory.team({ credits: amount });
              const lead = await factory.person({ team, leads: [team] });
              funders.push(team);
              pledges.push({ lead, team, amount });
            }
            const initiativeId = await ideas.initiative(owner, sponsor, sponsorLead, pledges);
            const workers: Person[] = [];
            for (const capacity of world.capacity) {
              workers.push(await factory.person({ weeklyCapacityHours: capacity }));
            }
            const contractor = await factory.person({ weeklyCapacityHours: 40 });
            const model: Model = {
              status: 'ACTIVE',
              budget: world.funded[0] + world.funded[1],
              funded: world.funded,
              funds: [0, 0],
              capacity: world.capacity,
              member: [undefined, undefined, undefined],
              committed: [0, 0, 0],
            };
            await fc.asyncModelRun(
              () => ({
                model,
                real: { initiativeId, owner, sponsorLead, funders, workers, contractor },
              }),
              sequence,
            );
            expect(await probe.sumOfBalances()).toBe(0);
          },
        ),
        { numRuns: Number(process.env.MODEL_RUNS ?? 15) },
      );
    });
  });
});
