import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock/clock.js';
import { findViolations } from '../src/database/invariants.js';
import { AuthService } from '../src/modules/auth/auth.service.js';
import { EmployeeService } from '../src/modules/employee/employee.service.js';
import { TimesheetService } from '../src/modules/market/timesheet.service.js';
import { TeamRole } from '../src/modules/team/team-role.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

/**
 * Issue 13 ("Market and outcome integrity") attacked from the outside: wrong roles, ids from
 * someone else's work, replays, races, moved clocks and odd input. Every test ends with the
 * invariants of src/database/invariants.ts holding.
 */

const LOG = `mutation($input: LogTimeInput!) {
  logTime(input: $input) { timeLog { id hours date status amount } engagement { id status loggedHours } }
}`;
const SHEETS = `query($id: ID!) {
  engagement(id: $id) {
    status loggedHours paid
    timesheets { id weekStart pendingHours disputedHours approvedHours refundedHours
      timeLogs { id status } disputes { id status } }
  }
}`;
const APPROVE = `mutation($input: ApproveTimesheetInput!) {
  approveTimesheet(input: $input) { timesheet { id pendingHours approvedHours } payments { id amount kind } }
}`;
const DISPUTE = `mutation($input: DisputeTimesheetInput!) {
  disputeTimesheet(input: $input) { dispute { id status hours amount } timesheet { id pendingHours disputedHours } }
}`;
const ACCEPT_DISPUTE = `mutation($input: AcceptDisputeInput!) {
  acceptDispute(input: $input) { dispute { id status } transfers { id amount kind } }
}`;
const CONTEST = `mutation($input: ContestDisputeInput!) { contestDispute(input: $input) { id status } }`;
const RESOLVE = `mutation($input: ResolveDisputeInput!) {
  resolveDispute(input: $input) { dispute { id status } transfers { id amount kind } }
}`;
const RAISE = `mutation($input: RaiseNeedRateInput!) { raiseNeedRate(input: $input) { need { id ratePerHour } } }`;

/** A Wednesday: engagements of this suite are accepted in the week of Monday 2026-03-02. */
const ACCEPTED_AT = new Date('2026-03-04T12:00:00Z');

describe('Attacking issue 13: timesheets, disputes, ceilings and outcomes', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let market: Market;
  let factory: Factory;
  let ledger: LedgerProbe;
  let now: Date;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({ TIMESHEET_REVIEW_DAYS: '5' }, database.url);
    factory = new Factory(sut);
    market = new Market(sut, factory);
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
    expect(await ledger.accountsOutOfBalance()).toEqual([]);
    expect(await ledger.sumOfBalances()).toBe(0);
  });

  const asResult = (rows: unknown): { rowCount: number } => ({
    rowCount: Array.isArray(rows) ? rows.length : 0,
  });
  const at = (iso: string): Date => new Date(iso);
  const fieldOf = (result: GraphQLResponse): string | undefined =>
    result.errors?.[0]?.extensions?.field;

  interface Work {
    team: TeamEntity;
    lead: Person;
    worker: Person;
    needId: string;
    bidId: string;
    engagementId: string;
  }

  /** A team's need of `hoursPerWeek` for `weeks` at 10/h, engaged on ACCEPTED_AT. */
  async function engaged(hoursPerWeek = 10, weeks = 2): Promise<Work> {
    now = ACCEPTED_AT;
    const { team, lead } = await market.buyer(10_000);
    const worker = await factory.person({ weeklyCapacityHours: 40 });
    const needId = await market.postNeed(lead, team, { hoursPerWeek, weeks, ratePerHour: 10 });
    const bidId = await market.bid(worker, needId, hoursPerWeek, 10);
    const engagementId = await market.engage(lead, bidId);
    return { team, lead, worker, needId, bidId, engagementId };
  }

  const log = (worker: Person, engagementId: string, date: string, hours: number, key?: string) =>
    sut.gql(
      LOG,
      { input: { engagementId, date, hours, note: 'work', idempotencyKey: key } },
      worker.token,
    );

  async function logOk(work: Work, date: string, hours: number): Promise<string> {
    const result = await log(work.worker, work.engagementId, date, hours);
    expectOk(result);
    return result.data!.logTime.timeLog.id;
  }

  async function sheets(work: Work) {
    const result = await sut.gql(SHEETS, { id: work.engagementId }, work.lead.token);
    expectOk(result);
    return result.data!.engagement;
  }

  async function weekId(work: Work, index = 0): Promise<string> {
    return (await sheets(work)).timesheets[index].id;
  }

  async function openDispute(work: Work, timesheetId: string, timeLogIds?: string[]) {
    const result = await sut.gql(
      DISPUTE,
      { input: { timesheetId, timeLogIds, reason: 'not delivered' } },
      work.lead.token,
    );
    expectOk(result);
    return result.data!.disputeTimesheet.dispute.id as string;
  }

  async function escrowOf(needId: string): Promise<number> {
    const [row] = await sut.dataSource.query(
      `SELECT a.balance::int AS balance FROM need n JOIN account a ON a.id = n.escrow_account_id WHERE n.id = $1`,
      [needId],
    );
    return row.balance;
  }

  async function makeLead(person: Person, team: TeamEntity): Promise<void> {
    await sut.app
      .get(EmployeeService)
      .addTeamMember(
        { teamId: team.id, employeeId: person.employee.id, role: TeamRole.LEAD },
        null,
      );
    // A new role ends the person's sessions: they sign in again.
    person.token = (await sut.app.get(AuthService).tokenFor(person.employee.id)).token;
  }

  /** What left the need's escrow, by kind. */
  async function escrowOut(needId: string): Promise<Record<string, number>> {
    const found = (await sut.dataSource.query(
      `SELECT t.kind, sum(t.amount)::int AS n FROM transfer t
         JOIN need n ON n.escrow_account_id = t.from_account_id WHERE n.id = $1 GROUP BY 1`,
      [needId],
    )) as { kind: string; n: number }[];
    return Object.fromEntries(found.map((r) => [r.kind, r.n]));
  }

  describe('self-dealing', () => {
    it('a lead cannot bid on their own team’s need', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const refused = await market.placeBid(lead, needId);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
    });

    it('a bidder who became a lead of the buying team cannot accept their own bid', async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person({ weeklyCapacityHours: 40 });
      const needId = await market.postNeed(lead, team);
      const bidId = await market.bid(worker, needId);
      await makeLead(worker, team);
      const buyerBefore = await ledger.teamBalance(team.id);
      const refused = await market.accept(worker, bidId);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(await ledger.teamBalance(team.id)).toBe(buyerBefore);
      // Another lead of the buying team still may.
      expectOk(await market.accept(lead, bidId));
    });

    it('a worker who is (or becomes) a lead of the buying team cannot approve or dispute their own hours', async () => {
      const work = await engaged(10, 2);
      await logOk(work, '2026-03-02', 8);
      await makeLead(work.worker, work.team);
      const timesheetId = await weekId(work);
      const approved = await sut.gql(APPROVE, { input: { timesheetId } }, work.worker.token);
      expect(codes(approved)).toEqual(['FORBIDDEN']);
      const disputed = await sut.gql(
        DISPUTE,
        { input: { timesheetId, reason: 'mine' } },
        work.worker.token,
      );
      expect(codes(disputed)).toEqual(['FORBIDDEN']);
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(0);
      // The other lead still reviews them.
      expectOk(await sut.gql(APPROVE, { input: { timesheetId } }, work.lead.token));
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(80);
    });

    it('an admin who leads the team the disputed hours would be paid to does not decide the dispute', async () => {
      const work = await engaged(10, 2);
      await logOk(work, '2026-03-02', 6);
      const disputeId = await openDispute(work, await weekId(work));
      expectOk(await sut.gql(CONTEST, { input: { disputeId, reason: 'done' } }, work.worker.token));
      const homeTeam = { id: work.worker.employee.homeTeamId } as TeamEntity;
      const payeeLead = await factory.person({ isAdmin: true, leads: [homeTeam] });
      const partial = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'my team did it' } },
        payeeLead.token,
      );
      expect(codes(partial)).toEqual(['FORBIDDEN']);
      expect(await ledger.teamBalance(homeTeam.id)).toBe(0);
      // The worker, even made an admin, is a side too.
      await sut.dataSource.query(`UPDATE employee SET is_admin = true WHERE id = $1`, [
        work.worker.employee.id,
      ]);
      const own = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'me' } },
        work.worker.token,
      );
      expect(codes(own)).toEqual(['FORBIDDEN']);
      const judge = await factory.admin();
      expectOk(
        await sut.gql(RESOLVE, { input: { disputeId, decision: 'PAY', note: 'ok' } }, judge.token),
      );
      expect(await ledger.teamBalance(homeTeam.id)).toBe(60);
    });
  });

  describe('someone else’s ids', () => {
    it('refuses approving, disputing and answering with ids from another engagement', async () => {
      const mine = await engaged(10, 2);
      const theirs = await engaged(10, 2);
      const myLog = await logOk(mine, '2026-03-02', 3);
      const theirLog = await logOk(theirs, '2026-03-02', 4);
      const mySheet = await weekId(mine);
      const theirSheet = await weekId(theirs);

      // My lead on their week: not my need.
      expect(
        codes(await sut.gql(APPROVE, { input: { timesheetId: theirSheet } }, mine.lead.token)),
      ).toEqual(['FORBIDDEN']);
      // My week, their log: not a log of this week.
      const mixed = await sut.gql(
        DISPUTE,
        { input: { timesheetId: mySheet, timeLogIds: [myLog, theirLog], reason: 'x' } },
        mine.lead.token,
      );
      expect([codes(mixed), fieldOf(mixed)]).toEqual([['BAD_USER_INPUT'], 'input.timeLogIds']);
      // Their week, their log, my token.
      expect(
        codes(
          await sut.gql(
            DISPUTE,
            { input: { timesheetId: theirSheet, timeLogIds: [theirLog], reason: 'x' } },
            mine.lead.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      // Logging on their engagement.
      expect(codes(await log(mine.worker, theirs.engagementId, '2026-03-02', 1))).toEqual([
        'FORBIDDEN',
      ]);

      // A log of another week of the same engagement.
      now = at('2026-03-10T12:00:00Z');
      const nextWeekLog = await logOk(mine, '2026-03-09', 2);
      const crossWeek = await sut.gql(
        DISPUTE,
        { input: { timesheetId: mySheet, timeLogIds: [nextWeekLog], reason: 'x' } },
        mine.lead.token,
      );
      expect([codes(crossWeek), fieldOf(crossWeek)]).toEqual([
        ['BAD_USER_INPUT'],
        'input.timeLogIds',
      ]);

      // Their dispute answered or decided by the wrong people.
      const theirDispute = await openDispute(theirs, theirSheet);
      for (const who of [mine.worker, mine.lead, theirs.lead]) {
        expect(
          codes(await sut.gql(ACCEPT_DISPUTE, { input: { disputeId: theirDispute } }, who.token)),
        ).toEqual(['FORBIDDEN']);
        expect(
          codes(
            await sut.gql(CONTEST, { input: { disputeId: theirDispute, reason: 'x' } }, who.token),
          ),
        ).toEqual(['FORBIDDEN']);
        expect(
          codes(
            await sut.gql(
              RESOLVE,
              { input: { disputeId: theirDispute, decision: 'PAY', note: 'x' } },
              who.token,
            ),
          ),
        ).toEqual(['FORBIDDEN']);
      }
      // Ids that name nothing.
      expect(
        codes(await sut.gql(APPROVE, { input: { timesheetId: randomUUID() } }, mine.lead.token)),
      ).toEqual(['NOT_FOUND']);
      expect(
        codes(
          await sut.gql(ACCEPT_DISPUTE, { input: { disputeId: randomUUID() } }, mine.worker.token),
        ),
      ).toEqual(['NOT_FOUND']);
      expect(await ledger.teamBalance(mine.worker.employee.homeTeamId)).toBe(0);
      expect(await ledger.teamBalance(theirs.worker.employee.homeTeamId)).toBe(0);
    });
  });

  describe('races', () => {
    it('concede racing PAY racing REFUND settles the disputed hours exactly once', async () => {
      const judge = await factory.admin();
      for (let round = 0; round < 5; round++) {
        const work = await engaged(10, 2);
        await logOk(work, '2026-03-02', 5);
        const disputeId = await openDispute(work, await weekId(work));
        if (round % 2) {
          expectOk(
            await sut.gql(CONTEST, { input: { disputeId, reason: 'no' } }, work.worker.token),
          );
        }
        const results = await Promise.all([
          sut.gql(ACCEPT_DISPUTE, { input: { disputeId } }, work.worker.token),
          sut.gql(RESOLVE, { input: { disputeId, decision: 'PAY', note: 'a' } }, judge.token),
          sut.gql(RESOLVE, { input: { disputeId, decision: 'REFUND', note: 'b' } }, judge.token),
          sut.gql(ACCEPT_DISPUTE, { input: { disputeId } }, work.worker.token),
        ]);
        const ok = results.filter((r) => !r.errors);
        expect(ok).toHaveLength(1);
        for (const r of results.filter((x) => x.errors))
          expect(codes(r)).toEqual(['INVALID_TRANSITION']);
        const out = await escrowOut(work.needId);
        expect((out.TIME_PAYMENT ?? 0) + (out.TIME_REFUND ?? 0)).toBe(50);
        expect(await escrowOf(work.needId)).toBe(150);
      }
    });

    it('approve racing logTime racing closeNeed racing the sweep: every hour paid or returned once', async () => {
      for (let round = 0; round < 4; round++) {
        const work = await engaged(10, 1);
        const buyerStart = (await ledger.teamBalance(work.team.id)) + 100;
        await logOk(work, '2026-03-02', 3);
        const timesheetId = await weekId(work);
        now = at('2026-03-09T23:59:00Z');
        await Promise.all([
          sut.gql(APPROVE, { input: { timesheetId } }, work.lead.token),
          log(work.worker, work.engagementId, '2026-03-08', 2),
          market.close(work.lead, work.needId),
          (async () => {
            now = round % 2 ? at('2026-03-14T00:00:00Z') : now;
            return sut.app.get(TimesheetService).sweep();
          })(),
        ]);
        now = at('2026-03-14T00:00:00Z');
        await sut.app.get(TimesheetService).sweep();
        // Whatever order they ran in: nothing left in escrow, and buyer + worker = 100.
        expect(await escrowOf(work.needId)).toBe(0);
        const paid = await ledger.teamBalance(work.worker.employee.homeTeamId);
        expect((await ledger.teamBalance(work.team.id)) + paid).toBe(buyerStart);
        expect([30, 50]).toContain(paid);
      }
    });

    it('raiseNeedRate racing acceptBid: the bid’s rate is escrowed, never more than the budget', async () => {
      for (let round = 0; round < 4; round++) {
        const { team, lead } = await market.buyer(10_000);
        const worker = await factory.person({ weeklyCapacityHours: 40 });
        const needId = await market.postNeed(lead, team, {
          hoursPerWeek: 4,
          weeks: 2,
          ratePerHour: 10,
        });
        const bidId = await market.bid(worker, needId, 4, 10);
        const [raised, accepted] = await Promise.all([
          sut.gql(RAISE, { input: { needId, ratePerHour: 12 } }, lead.token),
          market.accept(lead, bidId),
        ]);
        expectOk(accepted);
        // Raising a FILLED need is refused; an OPEN one rises.
        if (raised.errors) expect(codes(raised)).toEqual(['INVALID_TRANSITION']);
        expect(await escrowOf(needId)).toBe(80);
      }
    });
  });

  describe('idempotency keys', () => {
    it('a key replayed with other arguments, or for another operation, is a CONFLICT and moves nothing', async () => {
      const work = await engaged(10, 2);
      const key = randomUUID();
      const first = await log(work.worker, work.engagementId, '2026-03-02', 2, key);
      expectOk(first);
      const same = await log(work.worker, work.engagementId, '2026-03-02', 2, key);
      expectOk(same);
      expect(same.data!.logTime.timeLog.id).toBe(first.data!.logTime.timeLog.id);
      for (const [date, hours] of [
        ['2026-03-02', 3],
        ['2026-03-03', 2],
      ] as const) {
        const other = await log(work.worker, work.engagementId, date, hours, key);
        expect([codes(other), fieldOf(other)]).toEqual([['CONFLICT'], 'input.idempotencyKey']);
      }
      expect((await sheets(work)).loggedHours).toBe(2);

      const timesheetId = await weekId(work);
      const approveKey = randomUUID();
      const approved = await sut.gql(
        APPROVE,
        { input: { timesheetId, idempotencyKey: approveKey } },
        work.lead.token,
      );
      expectOk(approved);
      const again = await sut.gql(
        APPROVE,
        { input: { timesheetId, idempotencyKey: approveKey } },
        work.lead.token,
      );
      expect(again.data!.approveTimesheet.payments).toEqual(
        approved.data!.approveTimesheet.payments,
      );
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(20);
      // The approval's key on a dispute: another operation.
      await logOk(work, '2026-03-03', 1);
      const crossed = await sut.gql(
        DISPUTE,
        { input: { timesheetId, reason: 'x', idempotencyKey: approveKey } },
        work.lead.token,
      );
      expect([codes(crossed), fieldOf(crossed)]).toEqual([['CONFLICT'], 'input.idempotencyKey']);
      // Someone else's key is theirs: the same key from another actor is a new request.
      const stranger = await market.factory.lead();
      expect(
        codes(
          await sut.gql(
            APPROVE,
            { input: { timesheetId, idempotencyKey: approveKey } },
            stranger.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);

      // Dispute then replay the settlement with another decision.
      const disputeId = await openDispute(work, timesheetId);
      expectOk(await sut.gql(CONTEST, { input: { disputeId, reason: 'no' } }, work.worker.token));
      const judge = await factory.admin();
      const resolveKey = randomUUID();
      const paid = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'ok', idempotencyKey: resolveKey } },
        judge.token,
      );
      expectOk(paid);
      const flipped = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'REFUND', note: 'ok', idempotencyKey: resolveKey } },
        judge.token,
      );
      expect(codes(flipped)).toEqual(['CONFLICT']);
      const replayed = await sut.gql(
        RESOLVE,
        { input: { disputeId, decision: 'PAY', note: 'ok', idempotencyKey: resolveKey } },
        judge.token,
      );
      expect(replayed.data!.resolveDispute.transfers).toEqual(paid.data!.resolveDispute.transfers);
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(30);
    });
  });

  describe('time tricks and odd input', () => {
    it('refuses impossible days, far years, odd formats and odd hours before touching anything', async () => {
      const work = await engaged(40, 2);
      for (const date of [
        '2026-02-30',
        '2026-13-01',
        '0000-01-01',
        '9999-12-31',
        '2026-3-2',
        '2026-03-02T00:00:00Z',
        '20260302',
        '',
        ' 2026-03-02',
      ]) {
        const refused = await log(work.worker, work.engagementId, date, 1);
        expect([date, codes(refused)]).toEqual([date, ['BAD_USER_INPUT']]);
      }
      for (const hours of [0, -1, 25, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
        const refused = await log(work.worker, work.engagementId, '2026-03-02', hours);
        expect([hours, codes(refused)]).toEqual([hours, ['BAD_USER_INPUT']]);
      }
      // Far in the past and far in the future, well-formed.
      for (const date of ['0001-01-01', '1970-01-01', '2026-03-01', '9998-12-31', '2026-03-05']) {
        const refused = await log(work.worker, work.engagementId, date, 1);
        expect([date, codes(refused), fieldOf(refused)]).toEqual([
          date,
          ['BAD_USER_INPUT'],
          'input.date',
        ]);
      }
      expect((await sheets(work)).loggedHours).toBe(0);
    });

    it('a backdated log into a week closed to logging is refused even though the engagement is live', async () => {
      const work = await engaged(10, 3);
      now = at('2026-03-17T09:00:00Z'); // third week; the first closed to logging on 03-10
      const refused = await log(work.worker, work.engagementId, '2026-03-04', 2);
      expect([codes(refused), fieldOf(refused)]).toEqual([['BAD_USER_INPUT'], 'input.date']);
      // After its review window: still refused (and nothing to auto-approve).
      now = at('2026-03-16T00:00:00Z');
      const late = await log(work.worker, work.engagementId, '2026-03-06', 2);
      expect(codes(late)).toEqual(['BAD_USER_INPUT']);
      expect((await sheets(work)).timesheets).toEqual([]);
    });

    it('no time is logged on an ENDED or COMPLETED engagement', async () => {
      const closed = await engaged(10, 2);
      await logOk(closed, '2026-03-02', 2);
      expectOk(await market.close(closed.lead, closed.needId));
      const afterClose = await log(closed.worker, closed.engagementId, '2026-03-03', 2);
      expect(codes(afterClose)).toEqual(['INVALID_TRANSITION']);

      const swept = await engaged(10, 1);
      now = at('2026-03-10T00:00:00Z');
      await sut.app.get(TimesheetService).sweep();
      expect((await sheets(swept)).status).toBe('COMPLETED');
      now = at('2026-03-09T12:00:00Z'); // a clock set back does not reopen it
      const afterSweep = await log(swept.worker, swept.engagementId, '2026-03-08', 2);
      expect(codes(afterSweep)).toEqual(['INVALID_TRANSITION']);
      now = at('2026-03-14T00:00:00Z');
      await sut.app.get(TimesheetService).sweep();
    });

    it('a clock set back after the review window does not let the buyer dispute an auto-approved week', async () => {
      const work = await engaged(10, 2);
      await logOk(work, '2026-03-02', 4);
      const timesheetId = await weekId(work);
      now = at('2026-03-14T00:00:00Z');
      await sut.app.get(TimesheetService).sweep();
      now = at('2026-03-13T12:00:00Z');
      const disputed = await sut.gql(
        DISPUTE,
        { input: { timesheetId, reason: 'x' } },
        work.lead.token,
      );
      expect(codes(disputed)).toEqual(['INVALID_TRANSITION']);
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(40);
    });
  });

  describe('ending with hours under review', () => {
    it('closeNeed, then a dispute conceded: the buyer gets each credit back once, escrow ends at 0', async () => {
      const work = await engaged(10, 2);
      const buyerStart = (await ledger.teamBalance(work.team.id)) + 200;
      const monday = await logOk(work, '2026-03-02', 3);
      await logOk(work, '2026-03-03', 4);
      const closed = await market.close(work.lead, work.needId);
      expectOk(closed);
      expect(closed.data!.closeNeed.refund.amount).toBe(130);
      expect(codes(await market.close(work.lead, work.needId))).toEqual(['INVALID_TRANSITION']);
      const timesheetId = await weekId(work);
      const disputeId = await openDispute(work, timesheetId, [monday]);
      expectOk(await sut.gql(ACCEPT_DISPUTE, { input: { disputeId } }, work.worker.token));
      expectOk(await sut.gql(APPROVE, { input: { timesheetId } }, work.lead.token));
      expect(await escrowOf(work.needId)).toBe(0);
      expect(await ledger.teamBalance(work.team.id)).toBe(buyerStart - 40);
      expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(40);
      // Nothing is left to settle: a later sweep moves nothing of this need's.
      now = at('2026-03-30T00:00:00Z');
      await sut.app.get(TimesheetService).sweep();
      expect(await escrowOf(work.needId)).toBe(0);
      expect(await escrowOut(work.needId)).toEqual({
        ESCROW_RETURN: 130,
        TIME_REFUND: 30,
        TIME_PAYMENT: 40,
      });
    });

    it('the sweep completes an engagement whose dispute is still open; the decision settles it later', async () => {
      const work = await engaged(10, 1);
      await logOk(work, '2026-03-02', 6);
      const disputeId = await openDispute(work, await weekId(work));
      expectOk(await sut.gql(CONTEST, { input: { disputeId, reason: 'no' } }, work.worker.token));
      now = at('2026-03-10T00:00:00Z');
      expect((await sut.app.get(TimesheetService).sweep()).completed).toBe(1);
      expect(await escrowOf(work.needId)).toBe(60);
      now = at('2026-04-30T00:00:00Z');
      await sut.app.get(TimesheetService).sweep();
      expect(await escrowOf(work.needId)).toBe(60);
      const judge = await factory.admin();
      expectOk(
        await sut.gql(
          RESOLVE,
          { input: { disputeId, decision: 'REFUND', note: 'no' } },
          judge.token,
        ),
      );
      expect(await escrowOf(work.needId)).toBe(0);
      expect(await escrowOut(work.needId)).toEqual({ ESCROW_RETURN: 40, TIME_REFUND: 60 });
    });

    it('hours of an initiative’s need refunded after the initiative ended go back to its funders', async () => {
      const ideas = new Ideas(sut);
      const { team: funder, lead: funderLead } = await market.buyer(10_000);
      const owner = await factory.person();
      const initiativeId = await ideas.initiative(owner, funder, funderLead, [
        { lead: funderLead, team: funder, amount: 1_000 },
      ]);
      const posted = await sut.gql(
        `mutation($input: PostNeedInput!) { postNeed(input: $input) { need { id } } }`,
        {
          input: {
            buyerInitiativeId: initiativeId,
            title: 'Help',
            description: '',
            hoursPerWeek: 10,
            weeks: 2,
            ratePerHour: 10,
            requiredSkills: [],
          },
        },
        owner.token,
      );
      expectOk(posted);
      const initiativeNeed = posted.data!.postNeed.need.id;
      const worker = await factory.person({ weeklyCapacityHours: 40 });
      const engagementId = await market.engage(
        owner,
        await market.bid(worker, initiativeNeed, 10, 10),
      );
      const work = { lead: owner, worker, engagementId } as Work;
      await logOk(work, '2026-03-02', 5);
      const funderBefore = await ledger.teamBalance(funder.id);
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { completeInitiative(input: { initiativeId: $id }) { refunds { amount } } }`,
          { id: initiativeId },
          owner.token,
        ),
      );
      // 1 000 - 200 escrowed + 150 never to be logged come back; 50 wait for review.
      expect(await ledger.teamBalance(funder.id)).toBe(funderBefore + 950);
      const disputeId = await openDispute(work, await weekId(work));
      expectOk(await sut.gql(ACCEPT_DISPUTE, { input: { disputeId } }, worker.token));
      const [{ balance }] = await sut.dataSource.query(
        `SELECT a.balance::int AS balance FROM initiative i JOIN account a ON a.id = i.account_id WHERE i.id = $1`,
        [initiativeId],
      );
      // The conceded hours reach the funders, not an account no one can spend from any more.
      expect([balance, await ledger.teamBalance(funder.id)]).toEqual([0, funderBefore + 1_000]);
    });
  });

  describe('outcomes', () => {
    const DEFINE = `mutation($input: DefineOutcomeMetricInput!) { defineOutcomeMetric(input: $input) { metric { id } } }`;
    const RECORD = `mutation($id: ID!, $value: Float!, $at: DateTime) { recordMeasurement(input: { metricId: $id, value: $value, at: $at }) { measurement { id } } }`;
    const CORRECT = `mutation($input: CorrectMeasurementInput!) { correctMeasurement(input: $input) { measurement { id value } } }`;
    const SET_REPORTER = `mutation($input: SetMetricReporterInput!) { setMetricReporter(input: $input) { metric { id } } }`;

    async function initiativeWithMetric(): Promise<{
      owner: Person;
      metricId: string;
      id: string;
    }> {
      const { team, lead } = await market.buyer(1_000);
      const owner = await factory.person();
      const id = await new Ideas(sut).initiative(owner, team, lead, [{ lead, team, amount: 100 }]);
      const defined = await sut.gql(
        DEFINE,
        {
          input: {
            initiativeId: id,
            name: 'Calls',
            unit: 'calls',
            baseline: 0,
            target: 10,
            direction: 'HIGHER_IS_BETTER',
          },
        },
        owner.token,
      );
      expectOk(defined);
      return { owner, id, metricId: defined.data!.defineOutcomeMetric.metric.id };
    }

    it('readings: not another initiative’s, not by an outsider, not in the future; corrections keep a line', async () => {
      now = new Date();
      const mine = await initiativeWithMetric();
      const theirs = await initiativeWithMetric();
      now = new Date(); // after both started
      const recorded = await sut.gql(RECORD, { id: theirs.metricId, value: 3 }, theirs.owner.token);
      expectOk(recorded);
      const reading = recorded.data!.recordMeasurement.measurement.id;
      // The owner of another initiative corrects or records on theirs.
      const crossed = await sut.gql(
        CORRECT,
        { input: { measurementId: reading, value: 9, reason: 'mine now' } },
        mine.owner.token,
      );
      expect(codes(crossed)).toEqual(['FORBIDDEN']);
      expect(
        codes(await sut.gql(RECORD, { id: theirs.metricId, value: 9 }, mine.owner.token)),
      ).toEqual(['FORBIDDEN']);
      // An outsider is not handed the metric.
      const outsider = await factory.person();
      const handed = await sut.gql(
        SET_REPORTER,
        { input: { metricId: theirs.metricId, reporterId: outsider.employee.id } },
        theirs.owner.token,
      );
      expect([codes(handed), fieldOf(handed)]).toEqual([['BAD_USER_INPUT'], 'input.reporterId']);
      const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      expect(
        codes(
          await sut.gql(RECORD, { id: theirs.metricId, value: 1, at: future }, theirs.owner.token),
        ),
      ).toEqual(['BAD_USER_INPUT']);
      // Correct, then correct the correction; the superseded reading cannot be corrected again.
      const first = await sut.gql(
        CORRECT,
        { input: { measurementId: reading, value: 4, reason: 'typo' } },
        theirs.owner.token,
      );
      expectOk(first);
      const again = await sut.gql(
        CORRECT,
        { input: { measurementId: reading, value: 5, reason: 'other' } },
        theirs.owner.token,
      );
      expect(codes(again)).toEqual(['CONFLICT']);
      expectOk(
        await sut.gql(
          CORRECT,
          {
            input: {
              measurementId: first.data!.correctMeasurement.measurement.id,
              value: 5,
              reason: 'second look',
            },
          },
          theirs.owner.token,
        ),
      );
      const history = await sut.dataSource.query(
        `SELECT value FROM measurement WHERE metric_id = $1 ORDER BY created_at, id`,
        [theirs.metricId],
      );
      expect(history).toHaveLength(3);
      // History is kept by the database too: a reading cannot be rewritten in place.
      await expect(
        sut.dataSource.query(`UPDATE measurement SET value = 99 WHERE id = $1`, [reading]),
      ).rejects.toThrow();
    });
  });

  describe('what GraphQL shows', () => {
    it('timesheets, time logs and disputes are not seen by outsiders; admin queues are admins’', async () => {
      const work = await engaged(10, 2);
      await logOk(work, '2026-03-02', 2);
      await openDispute(work, await weekId(work));
      const stranger = await factory.person();
      const otherLead = await factory.lead();
      for (const who of [stranger, otherLead]) {
        expect(codes(await sut.gql(SHEETS, { id: work.engagementId }, who.token))).toEqual([
          'FORBIDDEN',
        ]);
        const viaNeed = await sut.gql(
          `query($id: ID!) { need(id: $id) {
             engagements { id timesheets { id } }
             bids(first: 5) { nodes { id engagement { id } } } } }`,
          { id: work.needId },
          who.token,
        );
        expectOk(viaNeed);
        expect(viaNeed.data!.need.engagements).toEqual([]);
        expect(viaNeed.data!.need.bids.nodes).toEqual([]);
        const viaEmployee = await sut.gql(
          `query($id: ID!) { employee(id: $id) { engagements(first: 5) { nodes { id } } } }`,
          { id: work.worker.employee.id },
          who.token,
        );
        expect(codes(viaEmployee)).toEqual(['FORBIDDEN']);
        for (const query of [
          `{ disputes(first: 5) { nodes { id reason timeLogs { id } } } }`,
          `{ jobs(first: 5) { nodes { id name } } }`,
          `{ jobQueueStats { name } }`,
        ]) {
          expect([query, codes(await sut.gql(query, {}, who.token))]).toEqual([
            query,
            ['FORBIDDEN'],
          ]);
        }
      }
      // Signed out: nothing at all.
      expect(codes(await sut.gql(SHEETS, { id: work.engagementId }))).toEqual(['UNAUTHENTICATED']);
    });

    it('prices nested timesheets and time logs: a huge tree is refused before it runs', async () => {
      const admin = await factory.admin();
      const refused = await sut.gql(
        `{ needs(first: 100) { nodes { engagements { timesheets { timeLogs { id } disputes { timeLogs { id } } } } } } }`,
        {},
        admin.token,
      );
      expect(codes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
      const cyclic = await sut.gql(
        `{ disputes(first: 100) { nodes { timesheet { engagement { timesheets { disputes { timesheet { engagement { timesheets { id } } } } } } } } } }`,
        {},
        admin.token,
      );
      expect(codes(cyclic)).toEqual(['QUERY_TOO_COMPLEX']);
    });
  });
});
