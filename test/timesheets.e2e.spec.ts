import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock/clock.js';
import { findViolations } from '../src/database/invariants.js';
import { TimesheetService } from '../src/modules/market/timesheet.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const LOG = `mutation($input: LogTimeInput!) {
  logTime(input: $input) {
    timeLog { id hours date status amount settledAt }
    engagement { id loggedHours paid startsOn endsOn }
  }
}`;
const TIMESHEETS = `query($id: ID!) {
  engagement(id: $id) {
    status loggedHours paid
    timesheets { id weekStart maxHours loggedHours pendingHours disputedHours approvedHours refundedHours reviewEndsAt paid
      timeLogs { id status } disputes { id status } }
  }
}`;
const APPROVE = `mutation($input: ApproveTimesheetInput!) {
  approveTimesheet(input: $input) {
    timesheet { id pendingHours approvedHours }
    payments { amount kind }
  }
}`;
const DISPUTE = `mutation($input: DisputeTimesheetInput!) {
  disputeTimesheet(input: $input) {
    dispute { id status hours amount reason }
    timesheet { id pendingHours disputedHours }
  }
}`;
const ACCEPT_DISPUTE = `mutation($input: AcceptDisputeInput!) {
  acceptDispute(input: $input) {
    dispute { id status answeredAt }
    timesheet { disputedHours refundedHours }
    transfers { amount kind }
  }
}`;
const CONTEST = `mutation($input: ContestDisputeInput!) {
  contestDispute(input: $input) { id status response }
}`;
const RESOLVE = `mutation($input: ResolveDisputeInput!) {
  resolveDispute(input: $input) {
    dispute { id status decisionNote decidedBy { id } }
    timesheet { disputedHours approvedHours refundedHours }
    transfers { amount kind }
  }
}`;
const DISPUTES = `query($filter: DisputeFilter) {
  disputes(filter: $filter) { totalCount edges { node { id status hours engagement { id } timeLogs { id } } } }
}`;

/** A Wednesday: the engagements of this suite are accepted in the week of Monday 2026-03-02. */
const ACCEPTED_AT = new Date('2026-03-04T12:00:00Z');

describe('Weekly timesheets: hours are paid only once the buyer approves them', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let market: Market;
  let ledger: LedgerProbe;
  let now: Date;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({ TIMESHEET_REVIEW_DAYS: '5' }, database.url);
    market = new Market(sut, new Factory(sut));
    ledger = new LedgerProbe(sut.dataSource);
    jest.spyOn(sut.app.get(Clock), 'now').mockImplementation(() => now);
  });
  afterAll(async () => {
    await sut.close();
    await database.drop();
  });
  beforeEach(() => {
    now = ACCEPTED_AT;
  });
  afterEach(async () => {
    expect(await findViolations((sql) => sut.dataSource.query(sql).then(asResult))).toEqual([]);
  });

  const asResult = (rows: unknown): { rowCount: number } => ({
    rowCount: Array.isArray(rows) ? rows.length : 0,
  });
  const at = (iso: string): Date => new Date(iso);

  interface Work {
    team: TeamEntity;
    lead: Person;
    worker: Person;
    needId: string;
    engagementId: string;
  }

  /** A need of 10 h a week for 2 weeks at 10/h, and an engagement accepted on ACCEPTED_AT. */
  async function engaged(hoursPerWeek = 10, weeks = 2): Promise<Work> {
    now = ACCEPTED_AT;
    const { team, lead } = await market.buyer(10_000);
    const worker = await market.factory.person({ weeklyCapacityHours: 40 });
    const needId = await market.postNeed(lead, team, { hoursPerWeek, weeks, ratePerHour: 10 });
    const engagementId = await market.engage(
      lead,
      await market.bid(worker, needId, hoursPerWeek, 10),
    );
    return { team, lead, worker, needId, engagementId };
  }

  const log = (worker: Person, engagementId: string, date: string, hours: number, key?: string) =>
    sut.gql(
      LOG,
      { input: { engagementId, date, hours, note: 'work', idempotencyKey: key } },
      worker.token,
    );

  async function sheets(work: Work) {
    const result = await sut.gql(TIMESHEETS, { id: work.engagementId }, work.lead.token);
    expectOk(result);
    return result.data!.engagement;
  }

  async function escrowOf(needId: string): Promise<number> {
    const [row] = await sut.dataSource.query(
      `SELECT a.balance::int AS balance FROM need n JOIN account a ON a.id = n.escrow_account_id WHERE n.id = $1`,
      [needId],
    );
    return row.balance;
  }

  const fieldOf = (result: GraphQLResponse): string | undefined =>
    result.errors?.[0]?.extensions?.field;

  describe('the engagement calendar', () => {
    it('runs whole ISO weeks from the week of acceptance', async () => {
      const work = await engaged(10, 2);
      const logged = await log(work.worker, work.engagementId, '2026-03-02', 2);
      expectOk(logged);
      expect(logged.data!.logTime.engagement).toMatchObject({
        startsOn: '2026-03-02',
        endsOn: '2026-03-15',
      });
      expect(logged.data!.logTime.timeLog).toMatchObject({
        status: 'PENDING',
        amount: 20,
        settledAt: null,
      });
    });

    it('refuses a future day, a day outside its weeks and a week closed to logging, naming the date', async () => {
      const work = await engaged(10, 2);
      const cases: [Date, string][] = [
        [ACCEPTED_AT, '2026-03-05'], // tomorrow
        [ACCEPTED_AT, '2026-03-01'], // the Sunday before its first week
        [at('2026-03-20T12:00:00Z'), '2026-03-16'], // the Monday after its last week
        [at('2026-03-11T12:00:00Z'), '2026-03-06'], // its first week, closed since Tuesday
      ];
      for (const [moment, date] of cases) {
        now = moment;
        const refused = await log(work.worker, work.engagementId, date, 1);
        expect([codes(refused), fieldOf(refused), date]).toEqual([
          ['BAD_USER_INPUT'],
          'input.date',
          date,
        ]);
      }
      // The Monday after a week, its hours may still be logged; a few minutes of clock skew too.
      now = at('2026-03-09T10:00:00Z');
      expectOk(await log(work.worker, work.engagementId, '2026-03-06', 1));
      now = at('2026-03-09T23:57:00Z');
      expectOk(await log(work.worker, work.engagementId, '2026-03-10', 1));
      expect((await sheets(work)).loggedHours).toBe(2);
    });

    it('holds a week to hoursPerWeek, even when logs race', async () => {
      const work = await engaged(10, 2);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          log(work.worker, work.engagementId, `2026-03-0${2 + (i % 3)}`, 3),
        ),
      );
      const ok = results.filter((r) => !r.errors);
      const refused = results.filter((r) => r.errors);
      expect(ok).toHaveLength(3);
      for (const r of refused)
        expect([codes(r), fieldOf(r)]).toEqual([['CONFLICT'], 'input.hours']);
      const week = (await sheets(work)).timesheets[0];
      expect(week).toMatchObject({ weekStart: '2026-03-02', maxHours: 10, loggedHours: 9 });
      // The next week has a limit of its own.
      now = at('2026-03-10T12:00:00Z');
      expectOk(await log(work.worker, work.engagementId, '2026-03-10', 10));
    });

    it('refuses more than a day holds', async () => {
      const work = await engaged(40, 1);
      const refused = await log(work.worker, work.engagementId, '2026-03-02', 25);
      expect([codes(refused), fieldOf(refused)]).toEqual([['BAD_USER_INPUT'], 'input.hours']);
    });
  });

  describe('review', () => {
    it('pays nothing until the buyer approves, then exactly the week’s pending hours', async () => {
      const work = await engaged(10, 2);
      const workerTeam = work.worker.employee.homeTeamId;
      const escrow = await escrowOf(work.needId);
      expect(escrow).toBe(200);
      expectOk(await log(work.worker, work.engagementId, '2026-03-02', 3));
      expectOk(await log(work.worker, work.engagementId, '2026-03-03', 4));
      expect(await escrowOf(work.needId)).toBe(200);
      expect(await ledger.teamBalance(workerTeam)).toBe(0);

      const [week] = (await sheets(work)).timesheets;
      expect(week).toMatchObject({ pendingHours: 7, approvedHours: 0, paid: 0 });
      expect(week.reviewEndsAt).toBe('2026-03-14T00:00:00.000Z');

      // Neither the worker nor another team's lead approves.
      const stranger = await market.factory.lead();
      for (const who of [work.worker, stranger]) {
        const refused = await sut.gql(APPROVE, { input: { timesheetId: week.id } }, who.token);
        expect(codes(refused)).toEqual(['FORBIDDEN']);
      }

      const approved = await sut.gql(APPROVE, { input: { timesheetId: week.id } }, work.lead.token);
      expectOk(approved);
      expect(approved.data!.approveTimesheet).toEqual({
        timesheet: { id: week.id, pendingHours: 0, approvedHours: 7 },
        payments: [{ amount: 70, kind: 'TIME_PAYMENT' }],
      });
      expect(await ledger.teamBalance(workerTeam)).toBe(70);
      expect(await escrowOf(work.needId)).toBe(130);
      const again = await sut.gql(APPROVE, { input: { timesheetId: week.id } }, work.lead.token);
      expect(codes(again)).toEqual(['INVALID_TRANSITION']);
      expect(await ledger.teamBalance(workerTeam)).toBe(70);

      const engagement = await sheets(work);
      expect(engagement.paid).toBe(70);
      expect(engagement.timesheets[0].timeLogs.map((l: { status: string }) => l.status)).toEqual([
        'APPROVED',
        'APPROVED',
      ]);
      const events = await sut.dataSource.query(
        `SELECT action FROM event WHERE subject_id = $1 ORDER BY seq`,
        [week.id],
      );
      expect(events.map((e: { action: string }) => e.action)).toEqual(['timesheet.approve']);
    });

    it('pays a week automatically once its review window ends, exactly once', async () => {
      const work = await engaged(10, 2);
      const workerTeam = work.worker.employee.homeTeamId;
      expectOk(await log(work.worker, work.engagementId, '2026-03-04', 5));
      const sweeper = sut.app.get(TimesheetService);

      now = at('2026-03-13T23:59:00Z'); // the window ends 2026-03-14T00:00Z
      await sweeper.sweep();
      expect(await ledger.teamBalance(workerTeam)).toBe(0);

      now = at('2026-03-14T00:00:00Z');
      // Two sweeps at once (two instances), then another: the week is paid once.
      await Promise.all([sweeper.sweep(), sweeper.sweep()]);
      await sweeper.sweep();
      expect(await ledger.teamBalance(workerTeam)).toBe(50);
      const [week] = (await sheets(work)).timesheets;
      expect(week).toMatchObject({ pendingHours: 0, approvedHours: 5 });
      const [{ actor_id: actor, action }] = await sut.dataSource.query(
        `SELECT actor_id, action FROM event WHERE subject_id = $1`,
        [week.id],
      );
      expect([actor, action]).toEqual([null, 'timesheet.autoApprove']);

      // Once the window has ended the buyer can no longer dispute.
      now = at('2026-03-10T12:00:00Z');
      expectOk(await log(work.worker, work.engagementId, '2026-03-10', 2));
      const [, nextWeek] = (await sheets(work)).timesheets;
      now = at('2026-03-21T00:00:00Z');
      const late = await sut.gql(
        DISPUTE,
        { input: { timesheetId: nextWeek.id, reason: 'too late' } },
        work.lead.token,
      );
      expect(codes(late)).toEqual(['INVALID_TRANSITION']);
    });

    it('disputes part of a week: the rest can be approved, logging pauses, the worker concedes and the buyer is refunded', async () => {
      const work = await engaged(10, 2);
      const workerTeam = work.worker.employee.homeTeamId;
      const buyerBefore = await ledger.teamBalance(work.team.id);
      const monday = await log(work.worker, work.engagementId, '2026-03-02', 3);
      const tuesday = await log(work.worker, work.engagementId, '2026-03-03', 4);
      const [week] = (await sheets(work)).timesheets;
      const tuesdayId = tuesday.data!.logTime.timeLog.id;

      const notMine = await sut.gql(
        DISPUTE,
        { input: { timesheetId: week.id, reason: 'x' } },
        work.worker.token,
      );
      expect(codes(notMine)).toEqual(['FORBIDDEN']);
      const stray = await sut.gql(
        DISPUTE,
        { input: { timesheetId: week.id, timeLogIds: [crypto.randomUUID()], reason: 'x' } },
        work.lead.token,
      );
      expect([codes(stray), fieldOf(stray)]).toEqual([['BAD_USER_INPUT'], 'input.timeLogIds']);

      const disputed = await sut.gql(
        DISPUTE,
        { input: { timesheetId: week.id, timeLogIds: [tuesdayId], reason: 'No work on Tuesday' } },
        work.lead.token,
      );
      expectOk(disputed);
      const dispute = disputed.data!.disputeTimesheet.dispute;
      expect(dispute).toMatchObject({ status: 'OPEN', hours: 4, amount: 40 });
      expect(disputed.data!.disputeTimesheet.timesheet).toMatchObject({
        pendingHours: 3,
        disputedHours: 4,
      });

      // Paused: no more hours while the dispute is unresolved.
      const paused = await log(work.worker, work.engagementId, '2026-03-04', 1);
      expect([codes(paused), fieldOf(paused)]).toEqual([['CONFLICT'], 'input.engagementId']);

      // The undisputed hours can be approved; the disputed ones are not paid.
      expectOk(await sut.gql(APPROVE, { input: { timesheetId: week.id } }, work.lead.token));
      expect(await ledger.teamBalance(workerTeam)).toBe(30);

      // Only the worker answers.
      const byLead = await sut.gql(
        ACCEPT_DISPUTE,
        { input: { disputeId: dispute.id } },
        work.lead.token,
      );
      expect(codes(byLead)).toEqual(['FORBIDDEN']);
      const conceded = await sut.gql(
        ACCEPT_DISPUTE,
        { input: { disputeId: dispute.id } },
        work.worker.token,
      );
      expectOk(conceded);
      expect(conceded.data!.acceptDispute).toMatchObject({
        dispute: { status: 'CONCEDED' },
        timesheet: { disputedHours: 0, refundedHours: 4 },
        transfers: [{ amount: 40, kind: 'TIME_REFUND' }],
      });
      expect(await ledger.teamBalance(workerTeam)).toBe(30);
      expect(await ledger.teamBalance(work.team.id)).toBe(buyerBefore + 40);
      expect(await escrowOf(work.needId)).toBe(200 - 30 - 40);

      // The refunded hours still count against the week; logging resumes.
      expectOk(await log(work.worker, work.engagementId, '2026-03-04', 3));
      const full = await log(work.worker, work.engagementId, '2026-03-04', 1);
      expect(codes(full)).toEqual(['CONFLICT']);
      expect(monday.data!.logTime.timeLog.status).toBe('PENDING');
    });

    it('a contested dispute is decided by an admin who is neither side', async () => {
      const work = await engaged(10, 2);
      const workerTeam = work.worker.employee.homeTeamId;
      expectOk(await log(work.worker, work.engagementId, '2026-03-02', 6));
      const [week] = (await sheets(work)).timesheets;
      const disputed = await sut.gql(
        DISPUTE,
        { input: { timesheetId: week.id, reason: 'Not delivered' } },
        work.lead.token,
      );
      const disputeId = disputed.data!.disputeTimesheet.dispute.id;

      const early = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'x' } },
        work.lead.token,
      );
      expect(codes(early)).toEqual(['FORBIDDEN']);
      const contested = await sut.gql(
        CONTEST,
        { input: { disputeId, reason: 'Delivered: see the repository' } },
        work.worker.token,
      );
      expectOk(contested);
      expect(contested.data!.contestDispute).toMatchObject({ status: 'CONTESTED' });

      // An admin who leads the buying team is a side, not a judge.
      const sideAdmin = await market.factory.person({ isAdmin: true, leads: [work.team] });
      const partial = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'mine' } },
        sideAdmin.token,
      );
      expect(codes(partial)).toEqual(['FORBIDDEN']);

      const admin = await market.factory.admin();
      const queue = await sut.gql(DISPUTES, { filter: { statuses: ['CONTESTED'] } }, admin.token);
      expectOk(queue);
      expect(queue.data!.disputes.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(
        disputeId,
      );
      expect(codes(await sut.gql(DISPUTES, {}, work.worker.token))).toEqual(['FORBIDDEN']);

      const decided = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'The commits are there' } },
        admin.token,
      );
      expectOk(decided);
      expect(decided.data!.resolveDispute).toEqual({
        dispute: {
          id: disputeId,
          status: 'PAID',
          decisionNote: 'The commits are there',
          decidedBy: { id: admin.employee.id },
        },
        timesheet: { disputedHours: 0, approvedHours: 6, refundedHours: 0 },
        transfers: [{ amount: 60, kind: 'TIME_PAYMENT' }],
      });
      expect(await ledger.teamBalance(workerTeam)).toBe(60);
      const twice = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'REFUND', note: 'changed my mind' } },
        admin.token,
      );
      expect(codes(twice)).toEqual(['INVALID_TRANSITION']);
      const actions = await sut.dataSource.query(
        `SELECT action FROM event WHERE subject_id IN ($1, $2) ORDER BY seq`,
        [week.id, disputeId],
      );
      expect(actions.map((e: { action: string }) => e.action)).toEqual([
        'timesheet.dispute',
        'dispute.contest',
        'dispute.resolve',
      ]);
    });

    it('approve racing dispute racing the automatic approval settles each hour exactly once', async () => {
      for (let round = 0; round < 6; round++) {
        const work = await engaged(10, 2);
        expectOk(await log(work.worker, work.engagementId, '2026-03-02', 4));
        const [week] = (await sheets(work)).timesheets;
        // At the very end of the window: the buyer may still act, and so may the sweep.
        now = at('2026-03-14T00:00:00Z');
        const windowOpen = round % 2 === 0;
        if (windowOpen) now = at('2026-03-13T23:59:59Z');
        const [approved, disputed] = await Promise.all([
          sut.gql(APPROVE, { input: { timesheetId: week.id } }, work.lead.token),
          sut.gql(DISPUTE, { input: { timesheetId: week.id, reason: 'race' } }, work.lead.token),
          (async () => {
            now = at('2026-03-14T00:00:00Z');
            return sut.app.get(TimesheetService).sweep();
          })(),
        ]);
        const engagement = await sheets(work);
        const [sheet] = engagement.timesheets;
        // Exactly one of them took the hours; the others were refused or found nothing.
        expect(sheet.approvedHours + sheet.disputedHours).toBe(4);
        expect([sheet.approvedHours, sheet.disputedHours]).toContainEqual(4);
        expect([approved.errors, disputed.errors].filter((e) => !e)).toHaveLength(
          sheet.disputedHours ? 1 : approved.errors ? 0 : 1,
        );
        const [{ paid }] = await sut.dataSource.query(
          `SELECT coalesce(sum(t.amount), 0)::int AS paid FROM transfer t
             JOIN account a ON a.id = t.from_account_id JOIN need n ON n.escrow_account_id = a.id
            WHERE n.id = $1 AND t.kind = 'TIME_PAYMENT'`,
          [work.needId],
        );
        expect(paid).toBe(sheet.approvedHours * 10);
      }
    });
  });

  describe('ending', () => {
    it('closing a need keeps in escrow what hours under review need, and their review still pays', async () => {
      const work = await engaged(10, 2);
      const buyerBefore = await ledger.teamBalance(work.team.id);
      expectOk(await log(work.worker, work.engagementId, '2026-03-02', 5));
      const closed = await market.close(work.lead, work.needId);
      expectOk(closed);
      expect(closed.data!.closeNeed.refund).toEqual({ amount: 150, kind: 'ESCROW_RETURN' });
      expect(await escrowOf(work.needId)).toBe(50);
      expect(await ledger.teamBalance(work.team.id)).toBe(buyerBefore + 150);

      const [week] = (await sheets(work)).timesheets;
      expectOk(await sut.gql(APPROVE, { input: { timesheetId: week.id } }, work.lead.token));
      expect(await escrowOf(work.needId)).toBe(0);
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(50);
    });

    it('an engagement whose weeks are over completes: capacity freed, hours never logged returned', async () => {
      const work = await engaged(10, 1);
      const buyerBefore = await ledger.teamBalance(work.team.id);
      expectOk(await log(work.worker, work.engagementId, '2026-03-03', 4));
      const sweeper = sut.app.get(TimesheetService);
      now = at('2026-03-09T23:00:00Z'); // its week is still open to late logs
      expect((await sweeper.sweep()).completed).toBe(0);
      now = at('2026-03-10T00:00:00Z');
      expect((await sweeper.sweep()).completed).toBe(1);
      const engagement = await sheets(work);
      expect(engagement.status).toBe('COMPLETED');
      expect(await ledger.teamBalance(work.team.id)).toBe(buyerBefore + 60);
      expect(await escrowOf(work.needId)).toBe(40);
      const [{ committed }] = await sut.dataSource.query(
        `SELECT committed_hours_per_week AS committed FROM employee WHERE id = $1`,
        [work.worker.employee.id],
      );
      expect(committed).toBe(0);
      // Its last week is still reviewed and paid when its window ends.
      now = at('2026-03-14T00:00:00Z');
      expect((await sweeper.sweep()).approved).toBe(1);
      expect(await escrowOf(work.needId)).toBe(0);
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(40);
    });
  });
});
