import { Clock } from '../../src/common/clock/clock.js';
import type { TeamEntity } from '../../src/modules/team/team.entity.js';
import { Factory, type Person } from './factories.js';
import type { GraphQLResponse, TestApp } from './test-app.js';

export const POST_NEED = `mutation($input: PostNeedInput!) {
  postNeed(input: $input) { need { id status hoursPerWeek weeks ratePerHour budget escrowBalance } }
}`;
export const PLACE_BID = `mutation($input: PlaceBidInput!) {
  placeBid(input: $input) { bid { id status hoursPerWeek ratePerHour totalCost } }
}`;
export const ACCEPT_BID = `mutation($input: AcceptBidInput!) {
  acceptBid(input: $input) {
    bid { id status }
    engagement { id status totalHours loggedHours }
    need { id status acceptedHoursPerWeek remainingHoursPerWeek escrowBalance }
    transfer { id amount kind }
  }
}`;
export const LOG_TIME = `mutation($input: LogTimeInput!) {
  logTime(input: $input) {
    timeLog { id hours date amount }
    engagement { id status loggedHours remainingHours paid }
  }
}`;
export const WEEKS = `query($id: ID!) {
  engagement(id: $id) { timesheets { id weekStart pendingHours disputedHours approvedHours refundedHours reviewEndsAt } }
}`;
export const APPROVE_TIMESHEET = `mutation($input: ApproveTimesheetInput!) {
  approveTimesheet(input: $input) { timesheet { id pendingHours approvedHours } payments { id amount kind } }
}`;
export const DISPUTE_TIMESHEET = `mutation($input: DisputeTimesheetInput!) {
  disputeTimesheet(input: $input) { dispute { id status hours } timesheet { id pendingHours disputedHours } }
}`;
export const ACCEPT_DISPUTE = `mutation($input: AcceptDisputeInput!) {
  acceptDispute(input: $input) { dispute { id status } transfers { id amount kind } }
}`;
export const CONTEST_DISPUTE = `mutation($input: ContestDisputeInput!) {
  contestDispute(input: $input) { id status }
}`;
export const RESOLVE_DISPUTE = `mutation($input: ResolveDisputeInput!) {
  resolveDispute(input: $input) { dispute { id status } transfers { id amount kind } }
}`;
export const CLOSE_NEED = `mutation($input: CloseNeedInput!) {
  closeNeed(input: $input) { need { id status closedAt escrowBalance } refund { amount kind } }
}`;

/** One week of an engagement's timesheet, as the buyer sees it. */
export interface Week {
  id: string;
  weekStart: string;
  pendingHours: number;
  disputedHours: number;
  approvedHours: number;
  refundedHours: number;
  reviewEndsAt: string;
}

export interface NeedTerms {
  hoursPerWeek?: number;
  weeks?: number;
  ratePerHour?: number;
  title?: string;
  description?: string;
  requiredSkills?: { name: string; minLevel: number }[];
}

/** A buying team with a lead and some credits, and helpers to trade on the market through GraphQL. */
export class Market {
  constructor(
    readonly sut: TestApp,
    readonly factory: Factory = new Factory(sut),
  ) {}

  async buyer(credits = 10_000): Promise<{ team: TeamEntity; lead: Person }> {
    const team = await this.factory.team({ credits });
    const lead = await this.factory.person({ team, leads: [team] });
    return { team, lead };
  }

  async postNeed(lead: Person, team: TeamEntity, terms: NeedTerms = {}): Promise<string> {
    const result = await this.sut.gql(
      POST_NEED,
      {
        input: {
          buyerTeamId: team.id,
          title: terms.title ?? 'Help wanted',
          description: terms.description ?? '',
          hoursPerWeek: terms.hoursPerWeek ?? 4,
          weeks: terms.weeks ?? 2,
          ratePerHour: terms.ratePerHour ?? 10,
          requiredSkills: terms.requiredSkills ?? [],
        },
      },
      lead.token,
    );
    expectOk(result);
    return result.data!.postNeed.need.id;
  }

  async bid(
    worker: Person,
    needId: string,
    hoursPerWeek = 4,
    ratePerHour = 10,
    skills: string[] = [],
  ): Promise<string> {
    const result = await this.placeBid(worker, needId, hoursPerWeek, ratePerHour, skills);
    expectOk(result);
    return result.data!.placeBid.bid.id;
  }

  placeBid(
    worker: Person,
    needId: string,
    hoursPerWeek = 4,
    ratePerHour = 10,
    skills: string[] = [],
  ) {
    return this.sut.gql(
      PLACE_BID,
      { input: { needId, hoursPerWeek, ratePerHour, message: 'Happy to help', skills } },
      worker.token,
    );
  }

  accept(lead: Person, bidId: string, idempotencyKey?: string) {
    return this.sut.gql(ACCEPT_BID, { input: { bidId, idempotencyKey } }, lead.token);
  }

  async engage(lead: Person, bidId: string): Promise<string> {
    const result = await this.accept(lead, bidId);
    expectOk(result);
    return result.data!.acceptBid.engagement.id;
  }

  /** Today as the service's clock has it (tests may move it). */
  today(): string {
    return this.sut.app.get(Clock).today();
  }

  /** Logs hours for `date` (today by the service's clock unless given). */
  logTime(
    worker: Person,
    engagementId: string,
    hours: number,
    idempotencyKey?: string,
    date = this.today(),
  ) {
    return this.sut.gql(
      LOG_TIME,
      { input: { engagementId, hours, date, note: 'done', idempotencyKey } },
      worker.token,
    );
  }

  /** The engagement's weeks, oldest first, as `reader` (a party to it) sees them. */
  async weeks(reader: Person, engagementId: string): Promise<Week[]> {
    const result = await this.sut.gql(WEEKS, { id: engagementId }, reader.token);
    expectOk(result);
    return result.data!.engagement.timesheets;
  }

  /** The week of `day` (today by the service's clock unless given) of an engagement. */
  async week(reader: Person, engagementId: string, day = this.today()): Promise<Week> {
    const monday = mondayOf(day);
    const week = (await this.weeks(reader, engagementId)).find((w) => w.weekStart === monday);
    if (!week) throw new Error(`no hours logged in the week of ${monday}`);
    return week;
  }

  approveTimesheet(lead: Person, timesheetId: string, idempotencyKey?: string) {
    return this.sut.gql(APPROVE_TIMESHEET, { input: { timesheetId, idempotencyKey } }, lead.token);
  }

  /**
   * The buyer approves the week of `day` (today unless given): its pending hours are paid.
   * Returns what was paid.
   */
  async approveWeek(lead: Person, engagementId: string, day?: string): Promise<number> {
    const week = await this.week(lead, engagementId, day);
    const approved = await this.approveTimesheet(lead, week.id);
    expectOk(approved);
    return approved.data!.approveTimesheet.payments.reduce(
      (sum: number, p: { amount: number }) => sum + p.amount,
      0,
    );
  }

  disputeTimesheet(lead: Person, timesheetId: string, reason = 'Not delivered') {
    return this.sut.gql(DISPUTE_TIMESHEET, { input: { timesheetId, reason } }, lead.token);
  }

  close(lead: Person, needId: string, idempotencyKey?: string) {
    return this.sut.gql(CLOSE_NEED, { input: { needId, idempotencyKey } }, lead.token);
  }

  /** Everything a refused operation must leave as it was. */
  async snapshot(needId: string, bidId: string): Promise<Record<string, unknown>> {
    const [row] = await this.sut.dataSource.query(
      `SELECT n.status AS "needStatus", n.accepted_hours_per_week AS "accepted", buyer.balance::text AS "buyerBalance",
              escrow.balance::text AS "escrowBalance", b.status AS "bidStatus", e.committed_hours_per_week AS "committed",
              (SELECT count(*)::int FROM engagement g WHERE g.need_id = n.id) AS "engagements",
              (SELECT count(*)::int FROM event WHERE subject_id IN (n.id, b.id)) AS "events",
              (SELECT count(*)::int FROM transfer t WHERE t.to_account_id = escrow.id OR t.from_account_id = escrow.id) AS "transfers"
         FROM need n JOIN account buyer ON buyer.id = n.buyer_account_id JOIN account escrow ON escrow.id = n.escrow_account_id
         JOIN bid b ON b.need_id = n.id JOIN employee e ON e.id = b.bidder_id
        WHERE n.id = $1 AND b.id = $2`,
      [needId, bidId],
    );
    return row;
  }
}

/** The Monday of the ISO week of a day (YYYY-MM-DD, UTC). */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

export function expectOk(result: GraphQLResponse): void {
  if (result.errors) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
}
