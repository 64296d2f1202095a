import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock/clock.js';
import { mondayOf } from '../src/common/graphql/date-range.js';
import { SummaryRefreshService } from '../src/modules/dashboard/summary-refresh.service.js';
import { TimesheetService } from '../src/modules/market/timesheet.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LOG = `mutation($input: LogTimeInput!) { logTime(input: $input) { timeLog { id } } }`;
const SHEETS = `query($id: ID!) { engagement(id: $id) { timesheets { id weekStart timeLogs { id } } } }`;
const APPROVE = `mutation($input: ApproveTimesheetInput!) { approveTimesheet(input: $input) { payments { amount } } }`;
const DISPUTE = `mutation($input: DisputeTimesheetInput!) { disputeTimesheet(input: $input) { dispute { id hours } } }`;
const ACCEPT_DISPUTE = `mutation($input: AcceptDisputeInput!) { acceptDispute(input: $input) { transfers { amount kind } } }`;

const FIGURES = `allocated earned spent pledged refunded net
  hoursPending hoursDisputed hoursPaid hoursRefunded hoursBoughtUnderReview`;
const TEAM_PNL = `query($period: DateRange) { teamPnl(period: $period) {
  totals { ${FIGURES} }
  weekly { week ${FIGURES} }
  teams(first: 10) { nodes { team { id } balance ${FIGURES} weekly { week ${FIGURES} } } }
} }`;
const TEAM_LEDGER = `query($id: ID!, $period: DateRange) { teamLedger(teamId: $id, period: $period) {
  balance pnl { ${FIGURES} } weekly { week ${FIGURES} }
} }`;
const MARKET_HOURS = `query($period: DateRange) { marketStats(filter: { period: $period }) { hours {
  hoursPending hoursDisputed hoursPaid hoursRefunded creditsPending creditsDisputed creditsPaid creditsRefunded
} } }`;

const WEEK_1 = '2026-03-02';
const WEEK_2 = '2026-03-09';
/** Transfers are stamped by the database, not the service's clock: money moves this real week. */
const MONEY_WEEK = mondayOf(new Date().toISOString().slice(0, 10));

const ZERO = {
  allocated: 0,
  earned: 0,
  spent: 0,
  pledged: 0,
  refunded: 0,
  net: 0,
  hoursPending: 0,
  hoursDisputed: 0,
  hoursPaid: 0,
  hoursRefunded: 0,
  hoursBoughtUnderReview: 0,
};

type Figures = typeof ZERO;

/**
 * One buying team, two workers from two other teams, two weeks of timesheets, every way an
 * hour can end (approved by the buyer, approved when the window ends, conceded and refunded,
 * still pending, still disputed), and the dashboards checked against figures worked out by hand.
 */
describe('Dashboards over timesheets: a team has earned only what was approved', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let market: Market;
  let now: Date;
  let buyer: { team: TeamEntity; lead: Person };
  let ann: Person; // works on need A at 10/h; her home team is teamA
  let bob: Person; // works on need B at 20/h; his home team is teamB
  let admin: Person;
  let annWork: string;
  let bobWork: string;

  const gql = async (query: string, variables: Record<string, unknown>, who: Person) => {
    const result = await sut.gql(query, variables, who.token);
    expectOk(result);
    return result.data!;
  };
  const log = (who: Person, engagementId: string, date: string, hours: number) =>
    gql(LOG, { input: { engagementId, date, hours, note: 'work' } }, who);
  async function sheet(engagementId: string, weekStart: string) {
    const { engagement } = await gql(SHEETS, { id: engagementId }, buyer.lead);
    return engagement.timesheets.find((s: { weekStart: string }) => s.weekStart === weekStart);
  }
  async function refreshSummaries(): Promise<void> {
    const refresher = sut.app.get(SummaryRefreshService);
    while (!(await refresher.refresh())) await new Promise((resolve) => setImmediate(resolve));
  }
  async function teamPnl(period?: { from: string; to: string }) {
    return (await gql(TEAM_PNL, { period }, admin)).teamPnl;
  }
  const lineOf = (pnl: { teams: { nodes: { team: { id: string } }[] } }, teamId: string) =>
    pnl.teams.nodes.find((t) => t.team.id === teamId) as unknown as Figures & {
      balance: number;
      weekly: (Figures & { week: string })[];
    };

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({ TIMESHEET_REVIEW_DAYS: '5' }, database.url);
    market = new Market(sut, new Factory(sut));
    now = new Date('2026-03-04T12:00:00Z'); // Wednesday of WEEK_1
    jest.spyOn(sut.app.get(Clock), 'now').mockImplementation(() => now);

    buyer = await market.buyer(10_000);
    ann = await market.factory.person({ weeklyCapacityHours: 40 });
    bob = await market.factory.person({ weeklyCapacityHours: 40 });
    admin = await market.factory.admin();
    // Need A: 10 h a week for 2 weeks at 10/h, escrow 200. Need B: the same at 20/h, escrow 400.
    const needA = await market.postNeed(buyer.lead, buyer.team, {
      hoursPerWeek: 10,
      weeks: 2,
      ratePerHour: 10,
    });
    const needB = await market.postNeed(buyer.lead, buyer.team, {
      hoursPerWeek: 10,
      weeks: 2,
      ratePerHour: 20,
    });
    annWork = await market.engage(buyer.lead, await market.bid(ann, needA, 10, 10));
    bobWork = await market.engage(buyer.lead, await market.bid(bob, needB, 10, 20));

    // Week 1: Ann 3 h on Monday and 4 h on Tuesday, Bob 5 h on Monday.
    await log(ann, annWork, '2026-03-02', 3);
    await log(ann, annWork, '2026-03-03', 4);
    await log(bob, bobWork, '2026-03-02', 5);
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('counts logged hours as pending, and nothing as earned, before any review', async () => {
    const pnl = await teamPnl();
    // Ann: 3 + 4 = 7 pending; Bob: 5 pending; the buyer has 7 + 5 = 12 under review.
    expect(lineOf(pnl, ann.employee.homeTeamId)).toMatchObject({ hoursPending: 7, earned: 0 });
    expect(lineOf(pnl, bob.employee.homeTeamId)).toMatchObject({ hoursPending: 5, earned: 0 });
    expect(lineOf(pnl, buyer.team.id)).toMatchObject({
      hoursBoughtUnderReview: 12,
      spent: 600, // 200 + 400 deposited in escrow on acceptance
    });
  });

  it('splits paid, refunded, pending and disputed hours once reviewed, and counts the refund as escrow given back', async () => {
    // Thursday of week 1: the buyer disputes Ann's Tuesday, approves the rest of her week
    // (3 h × 10 = 30 paid to teamA), and Ann concedes (4 h × 10 = 40 refunded to the buyer).
    now = new Date('2026-03-05T12:00:00Z');
    const annWeek1 = await sheet(annWork, WEEK_1);
    const tuesdayLog = annWeek1.timeLogs[1].id;
    const disputed = await gql(
      DISPUTE,
      {
        input: { timesheetId: annWeek1.id, timeLogIds: [tuesdayLog], reason: 'No work on Tuesday' },
      },
      buyer.lead,
    );
    expect(disputed.disputeTimesheet.dispute.hours).toBe(4);
    const approved = await gql(APPROVE, { input: { timesheetId: annWeek1.id } }, buyer.lead);
    expect(approved.approveTimesheet.payments).toEqual([{ amount: 30 }]);
    const conceded = await gql(
      ACCEPT_DISPUTE,
      { input: { disputeId: disputed.disputeTimesheet.dispute.id } },
      ann,
    );
    expect(conceded.acceptDispute.transfers).toEqual([{ amount: 40, kind: 'TIME_REFUND' }]);

    // Monday of week 2, 10:00: week 1 still takes late logs. Bob logs Sunday 2026-03-08 (1 h,
    // ISO week 1), then both log Monday 2026-03-09 (week 2): Ann 2 h, Bob 6 h.
    now = new Date('2026-03-09T10:00:00Z');
    await log(bob, bobWork, '2026-03-08', 1);
    await log(ann, annWork, '2026-03-09', 2);
    await log(bob, bobWork, '2026-03-09', 6);

    // Week 1's review window (5 days after its Sunday) ends 2026-03-14T00:00Z: the sweep
    // approves Bob's week 1, 5 + 1 = 6 h × 20 = 120 paid to teamB.
    now = new Date('2026-03-14T00:00:00Z');
    await sut.app.get(TimesheetService).sweep();
    // Then the buyer disputes all of Bob's week 2 (6 h × 20 = 120), left open.
    now = new Date('2026-03-14T01:00:00Z');
    const bobWeek2 = await sheet(bobWork, WEEK_2);
    await gql(
      DISPUTE,
      { input: { timesheetId: bobWeek2.id, reason: 'Not delivered' } },
      buyer.lead,
    );

    const pnl = await teamPnl();
    // teamA: paid 3 (earned 3 × 10 = 30), refunded 4, pending 2 (week 2); net = balance = 30.
    const teamA = lineOf(pnl, ann.employee.homeTeamId);
    expect(teamA).toMatchObject({
      ...ZERO,
      earned: 30,
      net: 30,
      hoursPending: 2,
      hoursPaid: 3,
      hoursRefunded: 4,
      balance: 30,
    });
    // teamB: paid 5 + 1 = 6 (earned 6 × 20 = 120), disputed 6 (week 2): not earned.
    const teamB = lineOf(pnl, bob.employee.homeTeamId);
    expect(teamB).toMatchObject({
      ...ZERO,
      earned: 120,
      net: 120,
      hoursPaid: 6,
      hoursDisputed: 6,
      balance: 120,
    });
    // The buyer: allocated 10 000; spent 600 deposited − 40 refunded = 560; net 10 000 − 560 =
    // 9 440, its balance. Under review on its needs: Ann's 2 pending + Bob's 6 disputed = 8.
    const buying = lineOf(pnl, buyer.team.id);
    expect(buying).toMatchObject({
      ...ZERO,
      allocated: 10_000,
      spent: 560,
      net: 9_440,
      balance: 9_440,
      hoursBoughtUnderReview: 8,
    });
    // All teams: earned 30 + 120 = 150; hours pending 2, disputed 6, paid 3 + 6 = 9, refunded 4.
    expect(pnl.totals).toMatchObject({
      earned: 150,
      spent: 560,
      hoursPending: 2,
      hoursDisputed: 6,
      hoursPaid: 9,
      hoursRefunded: 4,
      hoursBoughtUnderReview: 8,
    });

    // Week by week: hours in the ISO week worked, credits in the week they moved (the
    // transfers' real time, MONEY_WEEK). teamA: week 1 paid 3, refunded 4; week 2 pending 2.
    const weekOf = (series: (Figures & { week: string })[], week: string) =>
      series.find((w) => w.week === week);
    expect(weekOf(teamA.weekly, WEEK_1)).toMatchObject({ hoursPaid: 3, hoursRefunded: 4 });
    expect(weekOf(teamA.weekly, WEEK_2)).toMatchObject({ hoursPending: 2, hoursPaid: 0 });
    expect(weekOf(teamA.weekly, MONEY_WEEK)).toMatchObject({ earned: 30 });
    // teamB: Sunday 2026-03-08 belongs to week 1: 5 + 1 = 6 paid there; week 2 disputed 6.
    expect(weekOf(teamB.weekly, WEEK_1)).toMatchObject({ hoursPaid: 6, hoursDisputed: 0 });
    expect(weekOf(teamB.weekly, WEEK_2)).toMatchObject({ hoursDisputed: 6 });
    // All teams together: week 1 paid 3 + 6 = 9, refunded 4; week 2 pending 2, disputed 6.
    expect(weekOf(pnl.weekly, WEEK_1)).toMatchObject({ hoursPaid: 9, hoursRefunded: 4 });
    expect(weekOf(pnl.weekly, WEEK_2)).toMatchObject({ hoursPending: 2, hoursDisputed: 6 });
    expect(weekOf(pnl.weekly, MONEY_WEEK)).toMatchObject({ earned: 150, spent: 560 });
  });

  it('counts a period’s hours by the ISO week worked', async () => {
    // Week 2 alone: teamA 2 pending, teamB 6 disputed, nothing paid or refunded; the buyer's
    // 2 + 6 = 8 under review. No credits moved in March (MONEY_WEEK is later).
    const pnl = await teamPnl({ from: WEEK_2, to: '2026-03-15' });
    expect(lineOf(pnl, ann.employee.homeTeamId)).toMatchObject({ ...ZERO, hoursPending: 2 });
    expect(lineOf(pnl, bob.employee.homeTeamId)).toMatchObject({ ...ZERO, hoursDisputed: 6 });
    expect(lineOf(pnl, buyer.team.id)).toMatchObject({ ...ZERO, hoursBoughtUnderReview: 8 });
    // All teams in week 2: the workers' 2 pending + 6 disputed, which the buyer has bought.
    expect(pnl.weekly).toEqual([
      { week: WEEK_2, ...ZERO, hoursPending: 2, hoursDisputed: 6, hoursBoughtUnderReview: 8 },
    ]);

    // The budget module's books say the same: teamA over week 1 paid 3 and refunded 4.
    const { teamLedger } = await gql(
      TEAM_LEDGER,
      { id: ann.employee.homeTeamId, period: { from: WEEK_1, to: '2026-03-08' } },
      admin,
    );
    expect(teamLedger.pnl).toEqual({ ...ZERO, hoursPaid: 3, hoursRefunded: 4 });
    expect(teamLedger.weekly).toEqual([{ week: WEEK_1, ...ZERO, hoursPaid: 3, hoursRefunded: 4 }]);
    // All time, the buyer's books: spent 600 − 40 = 560, the change of its balance.
    const books = await gql(TEAM_LEDGER, { id: buyer.team.id }, admin);
    expect(books.teamLedger.pnl).toMatchObject({
      allocated: 10_000,
      spent: 560,
      net: 9_440,
      hoursBoughtUnderReview: 8,
    });
    expect(books.teamLedger.balance).toBe(9_440);
  });

  it('shows the market’s hours and credits by review state in marketStats', async () => {
    await refreshSummaries();
    const hoursIn = async (period?: { from: string; to: string }) =>
      (await gql(MARKET_HOURS, { period }, admin)).marketStats.hours;
    // All time: pending Ann's 2 h × 10 = 20; disputed Bob's 6 h × 20 = 120; paid Ann's 3 × 10
    // + Bob's 6 × 20 = 30 + 120 = 150 for 9 h; refunded Ann's 4 × 10 = 40.
    expect(await hoursIn()).toEqual({
      hoursPending: 2,
      hoursDisputed: 6,
      hoursPaid: 9,
      hoursRefunded: 4,
      creditsPending: 20,
      creditsDisputed: 120,
      creditsPaid: 150,
      creditsRefunded: 40,
    });
    // Week 1 (Sunday 2026-03-08 included): paid 9 h (150), refunded 4 h (40).
    expect(await hoursIn({ from: WEEK_1, to: '2026-03-08' })).toEqual({
      hoursPending: 0,
      hoursDisputed: 0,
      hoursPaid: 9,
      hoursRefunded: 4,
      creditsPending: 0,
      creditsDisputed: 0,
      creditsPaid: 150,
      creditsRefunded: 40,
    });
    // Week 2: pending 2 h (20), disputed 6 h (120).
    expect(await hoursIn({ from: WEEK_2, to: WEEK_2 })).toEqual({
      hoursPending: 2,
      hoursDisputed: 6,
      hoursPaid: 0,
      hoursRefunded: 0,
      creditsPending: 20,
      creditsDisputed: 120,
      creditsPaid: 0,
      creditsRefunded: 0,
    });
  });

  it('exports the hours with the P&L', async () => {
    const response = await fetch(`${sut.url}/export/team-pnl.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(response.status).toBe(200);
    const [header, ...lines] = (await response.text()).trim().split('\n');
    expect(header).toMatch(
      /,"balance_now","hours_pending","hours_disputed","hours_paid","hours_refunded","hours_bought_under_review"$/,
    );
    // teamA: earned 30, net 30, balance 30; pending 2, disputed 0, paid 3, refunded 4, bought 0.
    const teamA = await sut.dataSource.query(`SELECT name FROM team WHERE id = $1`, [
      ann.employee.homeTeamId,
    ]);
    expect(lines.find((l) => l.startsWith(`"${teamA[0].name}"`))).toMatch(
      /,0,30,0,0,0,30,30,2,0,3,4,0$/,
    );
  });
});
