import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Clock } from '../src/common/clock/clock.js';
import { TimesheetService } from '../src/modules/market/timesheet.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import {
  ACCEPT_DISPUTE,
  CONTEST_DISPUTE,
  Market,
  RESOLVE_DISPUTE,
  mondayOf,
} from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type TestApp, type GraphQLResponse } from './support/test-app.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const REVIEW_DAYS = 5;
const dayOf = (moment: number): string => new Date(moment).toISOString().slice(0, 10);
const startOf = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const addDays = (day: string, days: number): string => dayOf(startOf(day) + days * DAY);

/**
 * Model-based tests: random sequences of lifecycle commands run against the service and against
 * a small model of the rules; after every command the two must agree on the answer (success or
 * the error code) and on the state (statuses, hours, escrow and every balance involved).
 * MODEL_RUNS sets how many random sequences each runs (30; 15 for the slower initiative one).
 * Its own database: the need's model moves the service's clock and runs the timesheets' sweep.
 */
describe('Lifecycles against a model', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;
  let probe: LedgerProbe;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({ TIMESHEET_REVIEW_DAYS: String(REVIEW_DAYS) }, database.url);
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ideas = new Ideas(sut);
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

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

  describe('a need, its bids, engagements, time and its review', () => {
    type BidStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'WITHDRAWN';
    type DisputeStatus = 'OPEN' | 'CONTESTED' | 'CONCEDED' | 'PAID' | 'REFUNDED';
    interface Week {
      id: string;
      weekStart: string;
      pending: number;
      disputed: number;
      approved: number;
      refunded: number;
    }
    interface Engagement {
      id: string;
      worker: number;
      hours: number;
      total: number;
      logged: number;
      rate: number;
      status: 'ACTIVE' | 'COMPLETED' | 'ENDED';
      /** The Monday of the week it was accepted in. */
      startsOn: string;
      weeks: Week[];
      disputes: { id: string; week: Week; hours: number; status: DisputeStatus }[];
    }
    interface Model {
      /** The service's clock (ms), moved by AdvanceTime only. */
      now: number;
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
      engagements: Engagement[];
    }
    interface Real {
      needId: string;
      buyer: TeamEntity;
      lead: Person;
      workers: Person[];
      teams: TeamEntity[];
      admin: Person;
    }

    /** What the runs did, so that the test can tell it exercised each rule. */
    const seen = new Map<string, number>();
    const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

    /** The clock every run moves forward (the mocked Clock reads it). */
    let clock = startOf('2026-03-02');
    beforeAll(() => {
      jest.spyOn(sut.app.get(Clock), 'now').mockImplementation(() => new Date(clock));
    });
    afterAll(() => jest.restoreAllMocks());

    // The rules of the calendar, restated: an engagement runs `weeks` ISO weeks from the week it
    // was accepted in; a day is logged by the Monday after its week and never ahead of now (5
    // minutes of skew allowed); a week is reviewed until REVIEW_DAYS after it ends.
    const weekEnd = (weekStart: string) => startOf(addDays(weekStart, 7));
    const endsOn = (m: Model, e: Engagement) => addDays(e.startsOn, 7 * m.weeks);
    const loggable = (m: Model, e: Engagement, day: string) =>
      day <= dayOf(m.now + 5 * 60 * 1000) &&
      day >= e.startsOn &&
      day < endsOn(m, e) &&
      weekEnd(mondayOf(day)) + DAY > m.now;
    const reviewOpen = (m: Model, week: Week) =>
      weekEnd(week.weekStart) + REVIEW_DAYS * DAY > m.now;
    const calendarOver = (m: Model, e: Engagement) => startOf(endsOn(m, e)) + DAY <= m.now;
    const unresolved = (e: Engagement) =>
      e.disputes.some((d) => d.status === 'OPEN' || d.status === 'CONTESTED');
    const pay = (m: Model, e: Engagement, hours: number) => {
      m.escrow -= hours * e.rate;
      m.earned[e.worker] += hours * e.rate;
    };
    const refund = (m: Model, e: Engagement, hours: number) => {
      m.escrow -= hours * e.rate;
      m.buyer += hours * e.rate;
    };
    type Command = fc.AsyncCommand<Model, Real>;
    const latestBid = (m: Model, worker: number) =>
      m.bids.filter((b) => b.worker === worker).at(-1);

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
      for (const e of m.engagements) {
        const real = await row<{ status: string; logged: number }>(
          `SELECT status, logged_hours AS logged FROM engagement WHERE id = $1`,
          [e.id],
        );
        expect(real).toEqual({ status: e.status, logged: e.logged });
        const weeks = await sut.dataSource.query(
          `SELECT id, to_char(week_start, 'YYYY-MM-DD') AS "weekStart", pending_hours AS pending,
                  disputed_hours AS disputed, approved_hours AS approved, refunded_hours AS refunded
             FROM timesheet WHERE engagement_id = $1 ORDER BY week_start`,
          [e.id],
        );
        expect(weeks).toEqual(e.weeks);
        for (const d of e.disputes) {
          const dispute = await row<{ status: string }>(
            `SELECT status FROM timesheet_dispute WHERE id = $1`,
            [d.id],
          );
          expect(dispute.status).toBe(d.status);
        }
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
        saw(`placeBid ${expected}`);
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

    /** Accepts the `nth` pending bid (counting round), or of all bids if none is pending. */
    class AcceptBid implements Command {
      constructor(readonly nth: number) {}
      check = (m: Readonly<Model>) => m.bids.length > 0;
      async run(m: Model, r: Real) {
        const pending = m.bids.filter((b) => b.status === 'PENDING');
        const bids = pending.length ? pending : m.bids;
        const bid = bids[this.nth % bids.length];
        const worker = bid.worker;
        const cost = bid.hours * m.weeks * bid.rate;
        const expected =
          bid.status !== 'PENDING' || m.status !== 'OPEN'
            ? 'INVALID_TRANSITION'
            : bid.hours > m.hours - m.accepted
              ? 'CONFLICT'
              : m.committed[worker] + bid.hours > m.capacity[worker]
                ? 'CAPACITY_EXCEEDED'
                : cost > m.buyer
                  ? 'INSUFFICIENT_FUNDS'
                  : 'OK';
        const result = await market.accept(r.lead, bid.id);
        expect(answer(result)).toBe(expected);
        saw(`acceptBid ${expected}`);
        if (expected === 'OK') {
          m.accepted += bid.hours;
          m.committed[worker] += bid.hours;
          m.buyer -= cost;
          m.escrow += cost;
          bid.status = 'ACCEPTED';
          m.engagements.push({
            id: result.data!.acceptBid.engagement.id,
            worker: worker,
            hours: bid.hours,
            total: bid.hours * m.weeks,
            logged: 0,
            rate: bid.rate,
            status: 'ACTIVE',
            startsOn: mondayOf(dayOf(m.now)),
            weeks: [],
            disputes: [],
          });
          if (m.accepted === m.hours) {
            m.status = 'FILLED';
            for (const other of m.bids) if (other.status === 'PENDING') other.status = 'REJECTED';
          }
        }
        await agree(m, r);
      }
      toString = () => `acceptBid(#${this.nth})`;
    }

    /** The `nth` engagement (counting round) logs hours for a day `daysAgo` before today (-1: tomorrow). */
    class LogTime implements Command {
      constructor(
        readonly nth: number,
        readonly hours: number,
        readonly daysAgo: number,
      ) {}
      check = (m: Readonly<Model>) => m.engagements.length > 0;
      async run(m: Model, r: Real) {
        const engagement = m.engagements[this.nth % m.engagements.length];
        const day = addDays(dayOf(m.now), -this.daysAgo);
        const week = engagement.weeks.find((w) => w.weekStart === mondayOf(day));
        const inWeek = week ? week.pending + week.disputed + week.approved + week.refunded : 0;
        const expected =
          engagement.status !== 'ACTIVE'
            ? 'INVALID_TRANSITION'
            : !loggable(m, engagement, day)
              ? 'BAD_USER_INPUT'
              : unresolved(engagement)
                ? 'CONFLICT'
                : inWeek + this.hours > engagement.hours ||
                    engagement.logged + this.hours > engagement.total
                  ? 'CONFLICT'
                  : 'OK';
        const result = await market.logTime(
          r.workers[engagement.worker],
          engagement.id,
          this.hours,
          undefined,
          day,
        );
        expect(answer(result)).toBe(expected);
        saw(`logTime ${expected}`);
        if (expected === 'OK') {
          engagement.logged += this.hours;
          if (week) week.pending += this.hours;
          else {
            const [{ id }] = await sut.dataSource.query(
              `SELECT id FROM timesheet WHERE engagement_id = $1 AND week_start = $2`,
              [engagement.id, mondayOf(day)],
            );
            engagement.weeks.push({
              id,
              weekStart: mondayOf(day),
              pending: this.hours,
              disputed: 0,
              approved: 0,
              refunded: 0,
            });
            engagement.weeks.sort((a, b) => a.weekStart.localeCompare(b.weekStart));
          }
          if (engagement.logged === engagement.total) {
            engagement.status = 'COMPLETED';
            m.committed[engagement.worker] -= engagement.hours;
          }
        }
        await agree(m, r);
      }
      toString = () => `logTime(#${this.nth}, ${this.hours} h, ${this.daysAgo} days ago)`;
    }

    /** The `nth` engagement (counting round), and its `week`-th week with hours, or its last. */
    const weekOf = (m: Model, nth: number, week: number) => {
      const engagement = m.engagements.length
        ? m.engagements[nth % m.engagements.length]
        : undefined;
      const found = engagement?.weeks[Math.min(week, engagement.weeks.length - 1)];
      return engagement && found && { engagement, week: found };
    };

    class Review implements Command {
      constructor(
        readonly nth: number,
        readonly week: number,
        readonly how: 'approve' | 'dispute',
      ) {}
      check = (m: Readonly<Model>) => weekOf(m as Model, this.nth, this.week) !== undefined;
      async run(m: Model, r: Real) {
        const { engagement, week } = weekOf(m, this.nth, this.week)!;
        if (this.how === 'approve') {
          const expected = week.pending > 0 ? 'OK' : 'INVALID_TRANSITION';
          expect(answer(await market.approveTimesheet(r.lead, week.id))).toBe(expected);
          saw(`approve ${expected}`);
          if (expected === 'OK') {
            pay(m, engagement, week.pending);
            week.approved += week.pending;
            week.pending = 0;
          }
        } else {
          const expected = !reviewOpen(m, week) || week.pending === 0 ? 'INVALID_TRANSITION' : 'OK';
          const result = await market.disputeTimesheet(r.lead, week.id);
          expect(answer(result)).toBe(expected);
          saw(`dispute ${expected}`);
          if (expected === 'OK') {
            engagement.disputes.push({
              id: result.data!.disputeTimesheet.dispute.id,
              week,
              hours: week.pending,
              status: 'OPEN',
            });
            week.disputed += week.pending;
            week.pending = 0;
          }
        }
        await agree(m, r);
      }
      toString = () => `${this.how}(#${this.nth}, week ${this.week})`;
    }

    /** The `nth` dispute opened (counting round), with its engagement. */
    const disputeOf = (m: Model, nth: number) => {
      const all = m.engagements.flatMap((engagement) =>
        engagement.disputes.map((dispute) => ({ engagement, dispute })),
      );
      return all.length ? all[nth % all.length] : undefined;
    };

    class Answer implements Command {
      constructor(
        readonly nth: number,
        readonly how: 'accept' | 'contest' | 'PAY' | 'REFUND',
      ) {}
      check = (m: Readonly<Model>) => disputeOf(m as Model, this.nth) !== undefined;
      async run(m: Model, r: Real) {
        const { engagement, dispute } = disputeOf(m, this.nth)!;
        const open = dispute.status === 'OPEN' || dispute.status === 'CONTESTED';
        const expected = (this.how === 'contest' ? dispute.status === 'OPEN' : open)
          ? 'OK'
          : 'INVALID_TRANSITION';
        const worker = r.workers[engagement.worker];
        const result =
          this.how === 'accept'
            ? await sut.gql(ACCEPT_DISPUTE, { input: { disputeId: dispute.id } }, worker.token)
            : this.how === 'contest'
              ? await sut.gql(
                  CONTEST_DISPUTE,
                  { input: { disputeId: dispute.id, reason: 'Done' } },
                  worker.token,
                )
              : await sut.gql(
                  RESOLVE_DISPUTE,
                  { input: { disputeId: dispute.id, decision: this.how, note: 'Decided' } },
                  r.admin.token,
                );
        expect(answer(result)).toBe(expected);
        saw(`${this.how} ${expected}`);
        if (expected === 'OK' && this.how === 'contest') dispute.status = 'CONTESTED';
        else if (expected === 'OK') {
          const week = dispute.week;
          week.disputed -= dispute.hours;
          if (this.how === 'PAY') {
            pay(m, engagement, dispute.hours);
            week.approved += dispute.hours;
            dispute.status = 'PAID';
          } else {
            refund(m, engagement, dispute.hours);
            week.refunded += dispute.hours;
            dispute.status = this.how === 'accept' ? 'CONCEDED' : 'REFUNDED';
          }
        }
        await agree(m, r);
      }
      toString = () => `${this.how}Dispute(#${this.nth})`;
    }

    /**
     * Time passes and the sweep runs (until it finds nothing more): weeks whose review window
     * ended are paid, engagements whose weeks are over complete and return their unlogged hours.
     */
    class AdvanceTime implements Command {
      constructor(readonly hours: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        m.now += this.hours * HOUR;
        clock = m.now;
        const sweeper = sut.app.get(TimesheetService);
        for (;;) {
          const { approved, completed } = await sweeper.sweep();
          if (!approved && !completed) break;
        }
        for (const e of m.engagements) {
          for (const week of e.weeks) {
            if (week.pending > 0 && !reviewOpen(m, week)) {
              saw('auto-approve');
              pay(m, e, week.pending);
              week.approved += week.pending;
              week.pending = 0;
            }
          }
          if (e.status === 'ACTIVE' && calendarOver(m, e)) {
            saw('calendar over');
            e.status = 'COMPLETED';
            m.committed[e.worker] -= e.hours;
            refund(m, e, e.total - e.logged);
          }
        }
        await agree(m, r);
      }
      toString = () => `advance(${this.hours} h)`;
    }

    class CloseNeed implements Command {
      // Mostly once there is work to end (an untouched need is closed often enough besides).
      check = (m: Readonly<Model>) =>
        m.engagements.some((e) => e.weeks.length > 0) || m.bids.length >= 4;
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
          // What hours under review need stays in escrow; their review still pays or refunds.
          const underReview = m.engagements.reduce(
            (sum, e) => sum + e.weeks.reduce((n, w) => n + (w.pending + w.disputed) * e.rate, 0),
            0,
          );
          m.buyer += m.escrow - underReview;
          m.escrow = underReview;
          m.status = m.accepted > 0 ? 'CLOSED' : 'CANCELLED';
        }
        await agree(m, r);
      }
      toString = () => 'closeNeed';
    }

    const worker = fc.integer({ min: 0, max: 2 });
    /** An arbitrary `times` over: fc.commands picks among its arbitraries evenly. */
    const weighted = <T>(times: number, arbitrary: fc.Arbitrary<T>) =>
      Array.from({ length: times }, () => arbitrary);
    // Weighted so that sequences reach review: work is reviewed only after a bid, its
    // acceptance and a log, and closing the need early ends most of it.
    const commands = [
      ...weighted(
        2,
        fc
          .tuple(worker, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }))
          .map(([w, h, rate]) => new PlaceBid(w, h, rate)),
      ),
      worker.map((w) => new DecideBid(w, 'withdraw')),
      worker.map((w) => new DecideBid(w, 'reject')),
      ...weighted(
        4,
        fc.nat(5).map((nth) => new AcceptBid(nth)),
      ),
      ...weighted(
        4,
        fc
          .tuple(fc.nat(5), fc.integer({ min: 1, max: 4 }), fc.integer({ min: -1, max: 2 }))
          .map(([nth, h, daysAgo]) => new LogTime(nth, h, daysAgo)),
      ),
      ...weighted(
        3,
        fc
          .tuple(fc.nat(5), fc.nat(2), fc.constantFrom('approve', 'dispute'))
          .map(([nth, week, how]) => new Review(nth, week, how as 'approve' | 'dispute')),
      ),
      ...weighted(
        3,
        fc
          .tuple(fc.nat(5), fc.constantFrom('accept', 'contest', 'PAY', 'REFUND'))
          .map(([nth, how]) => new Answer(nth, how as Answer['how'])),
      ),
      ...weighted(
        2,
        fc.integer({ min: 1, max: 60 }).map((hours) => new AdvanceTime(hours)),
      ),
      // Past a review window or a whole engagement at once.
      fc.integer({ min: 1, max: 10 * 24 }).map((hours) => new AdvanceTime(hours)),
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
            /** When in its week the run starts (hours after Monday 00:00 UTC). */
            startHour: fc.integer({ min: 0, max: 7 * 24 - 1 }),
          }),
          // Long sequences: work is reviewed only after bids, acceptances and logs.
          fc.commands(commands, { maxCommands: 50, size: 'max' }),
          async (world, sequence) => {
            // Each run starts weeks after the last one ended (its leftovers all swept by the
            // first AdvanceTime), at a moment of the week of its own.
            clock = startOf(mondayOf(dayOf(clock + 8 * 7 * DAY))) + world.startHour * HOUR;
            const { team: buyer, lead } = await market.buyer(world.credits);
            const teams = [await factory.team(), await factory.team(), await factory.team()];
            const workers: Person[] = [];
            for (const [i, team] of teams.entries()) {
              workers.push(await factory.person({ team, weeklyCapacityHours: world.capacity[i] }));
            }
            // At the highest rate PlaceBid asks, so the need's ceiling never refuses one.
            const needId = await market.postNeed(lead, buyer, {
              hoursPerWeek: world.hours,
              weeks: world.weeks,
              ratePerHour: 30,
            });
            const admin = await factory.admin();
            const model: Model = {
              now: clock,
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
            const real: Real = { needId, buyer, lead, workers, teams, admin };
            // Each run starts with a bid placed and accepted (checked against the model like any
            // command), so that most of its sequence is about time and its review.
            await new PlaceBid(0, Math.min(world.hours, world.capacity[0], 4), 10).run(model, real);
            await new AcceptBid(0).run(model, real);
            await fc.asyncModelRun(() => ({ model, real }), sequence);
            expect(await probe.sumOfBalances()).toBe(0);
          },
        ),
        { numRuns: Number(process.env.MODEL_RUNS ?? 30) },
      );
      // What the runs exercised (answers by command), to see at a glance that review was reached.
      console.log(`need model: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
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
      /** Who reports its metric: the owner, or a worker. */
      reporter: 'owner' | number;
      /** Every reading of the metric, in the order of their moments; corrections take the place of what they correct. */
      readings: { id: string; value: number; current: boolean; order: number }[];
    }
    interface Real {
      initiativeId: string;
      metricId: string;
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
      // The metric: its reporter, its history kept whole, its latest value from current readings.
      const read = await sut.gql(
        `query($id: ID!) { initiative(id: $id) { metrics { reporter { id } latestValue
           current: measurements(first: 100) { totalCount }
           history: measurements(first: 100, includeSuperseded: true) { totalCount } } } }`,
        { id: r.initiativeId },
        r.owner.token,
      );
      expect(answer(read)).toBe('OK');
      const current = m.readings.filter((reading) => reading.current);
      const latest = current.sort((a, b) => b.order - a.order)[0];
      expect(read.data!.initiative.metrics).toEqual([
        {
          reporter: { id: (m.reporter === 'owner' ? r.owner : r.workers[m.reporter]).employee.id },
          latestValue: latest?.value ?? null,
          current: { totalCount: current.length },
          history: { totalCount: m.readings.length },
        },
      ]);
    }

    /** What the runs did with readings, printed with the result. */
    const readingsSeen = new Map<string, number>();

    /** Who may report: the metric's reporter and the owner; a cancelled initiative takes none. */
    const reportRefusal = (m: Model, who: 'owner' | number): string | undefined =>
      who !== 'owner' && who !== m.reporter
        ? 'FORBIDDEN'
        : m.status === 'CANCELLED'
          ? 'INVALID_TRANSITION'
          : undefined;
    const personOf = (r: Real, who: 'owner' | number): Person =>
      who === 'owner' ? r.owner : r.workers[who];

    class Record implements Command {
      constructor(
        readonly who: 'owner' | number,
        readonly value: number,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const expected = reportRefusal(m, this.who) ?? 'OK';
        const result = await sut.gql(
          `mutation($id: ID!, $value: Float!) { recordMeasurement(input: { metricId: $id, value: $value }) { measurement { id } } }`,
          { id: r.metricId, value: this.value },
          personOf(r, this.who).token,
        );
        expect(answer(result)).toBe(expected);
        readingsSeen.set(`record ${expected}`, (readingsSeen.get(`record ${expected}`) ?? 0) + 1);
        if (expected === 'OK') {
          const id = result.data!.recordMeasurement.measurement.id;
          m.readings.push({ id, value: this.value, current: true, order: m.readings.length });
        }
        await agree(m, r);
      }
      toString = () => `record(${this.who}, ${this.value})`;
    }

    /** Corrects the k-th reading (current or not): only a current one can be, and it is kept. */
    class Correct implements Command {
      constructor(
        readonly who: 'owner' | number,
        readonly k: number,
        readonly value: number,
      ) {}
      check = (m: Readonly<Model>) => m.readings.length > 0;
      async run(m: Model, r: Real) {
        const target = m.readings[this.k % m.readings.length];
        const expected = reportRefusal(m, this.who) ?? (target.current ? 'OK' : 'CONFLICT');
        const result = await sut.gql(
          `mutation($id: ID!, $value: Float!) { correctMeasurement(input: { measurementId: $id, value: $value, reason: "A typo" }) { measurement { id } } }`,
          { id: target.id, value: this.value },
          personOf(r, this.who).token,
        );
        expect(answer(result)).toBe(expected);
        readingsSeen.set(`correct ${expected}`, (readingsSeen.get(`correct ${expected}`) ?? 0) + 1);
        if (expected === 'OK') {
          target.current = false;
          const id = result.data!.correctMeasurement.measurement.id;
          m.readings.push({ id, value: this.value, current: true, order: target.order });
        }
        await agree(m, r);
      }
      toString = () => `correct(${this.who}, #${this.k}, ${this.value})`;
    }

    /** The owner hands the metric to a worker: only to a current member. */
    class SetReporter implements Command {
      constructor(readonly worker: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const expected =
          m.status === 'CANCELLED'
            ? 'INVALID_TRANSITION'
            : m.reporter === this.worker || m.member[this.worker] !== undefined
              ? 'OK'
              : 'BAD_USER_INPUT';
        const result = await sut.gql(
          `mutation($id: ID!, $reporter: ID!) { setMetricReporter(input: { metricId: $id, reporterId: $reporter }) { metric { id } } }`,
          { id: r.metricId, reporter: r.workers[this.worker].employee.id },
          r.owner.token,
        );
        expect(answer(result)).toBe(expected);
        if (expected === 'OK') m.reporter = this.worker;
        await agree(m, r);
      }
      toString = () => `reporter(w${this.worker})`;
    }

    class Join implements Command {
      constructor(
        readonly worker: number,
        readonly hours: number,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const delta = this.hours - (m.member[this.worker] ?? 0);
        // A member gives at least an hour a week (leaving is how one stops).
        const expected =
          this.hours < 1
            ? 'BAD_USER_INPUT'
            : m.status !== 'ACTIVE'
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
          // A member who leaves hands their metric back to the owner.
          if (m.reporter === this.worker) m.reporter = 'owner';
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
          expect(await market.approveWeek(r.owner, engagementId)).toBe(this.rate);
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
      fc
        .tuple(
          fc.constantFrom<'owner' | number>('owner', 0, 1, 2),
          fc.integer({ min: -50, max: 50 }),
        )
        .map(([who, value]) => new Record(who, value)),
      fc
        .tuple(
          fc.constantFrom<'owner' | number>('owner', 0, 1),
          fc.nat(),
          fc.integer({ min: -50, max: 50 }),
        )
        .map(([who, k, value]) => new Correct(who, k, value)),
      worker.map((w) => new SetReporter(w)),
      // The owner records and corrects most often, so that histories grow within a run.
      fc.integer({ min: -50, max: 50 }).map((value) => new Record('owner', value)),
      fc.integer({ min: -50, max: 50 }).map((value) => new Record('owner', value)),
      fc
        .tuple(fc.nat(), fc.integer({ min: -50, max: 50 }))
        .map(([k, v]) => new Correct('owner', k, v)),
      fc
        .tuple(fc.nat(), fc.integer({ min: -50, max: 50 }))
        .map(([k, v]) => new Correct('owner', k, v)),
    ];

    it('agrees with the model on members, capacity, spending, pro-rata refunds and readings', async () => {
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
            const metric = await sut.gql(
              `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Calls", unit: "calls", baseline: 0, target: 100, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
              { id: initiativeId },
              owner.token,
            );
            expect(answer(metric)).toBe('OK');
            const metricId = metric.data!.defineOutcomeMetric.metric.id;
            const model: Model = {
              status: 'ACTIVE',
              budget: world.funded[0] + world.funded[1],
              funded: world.funded,
              funds: [0, 0],
              capacity: world.capacity,
              member: [undefined, undefined, undefined],
              committed: [0, 0, 0],
              reporter: 'owner',
              readings: [],
            };
            await fc.asyncModelRun(
              () => ({
                model,
                real: { initiativeId, metricId, owner, sponsorLead, funders, workers, contractor },
              }),
              sequence,
            );
            expect(await probe.sumOfBalances()).toBe(0);
          },
        ),
        { numRuns: Number(process.env.MODEL_RUNS ?? 15) },
      );
      console.log(`initiative model readings: ${JSON.stringify(Object.fromEntries(readingsSeen))}`);
    });
  });
});
