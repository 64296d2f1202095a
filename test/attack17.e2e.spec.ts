import { randomUUID } from 'node:crypto';
import { findViolations } from '../src/database/invariants.js';
import { TransferKind } from '../src/modules/ledger/ledger.enums.js';
import { TransferRepository } from '../src/modules/ledger/transfer.repository.js';
import { Factory, LedgerProbe } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Answer = Awaited<ReturnType<TestApp['gql']>>;
const codes = (answer: Answer): unknown[] =>
  (answer.errors ?? []).map((e) => (e.extensions as { code?: unknown } | undefined)?.code);
const fields = (answer: Answer): unknown[] =>
  (answer.errors ?? []).map((e) => (e.extensions as { field?: unknown } | undefined)?.field);

/**
 * Attacks on fewer statements a mutation (one-statement work locks and transfers), prepared
 * statements and the actor cache's allow-list (issue 16's write-path changes).
 */
describe('attacks on the merged statements', () => {
  let sut: TestApp;
  let market: Market;
  let factory: Factory;
  let ledger: LedgerProbe;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ledger = new LedgerProbe(sut.dataSource);
  });
  afterAll(() => sut.close());

  const violations = async (): Promise<string[]> => {
    const runner = sut.dataSource.createQueryRunner();
    try {
      return await findViolations(async (sql: string) => ({
        rowCount: ((await runner.query(sql)) as unknown[] | undefined)?.length ?? 0,
      }));
    } finally {
      await runner.release();
    }
  };

  const engaged = async (hoursPerWeek = 10, weeks = 2, ratePerHour = 10) => {
    const buyer = await market.buyer(100_000);
    const worker = await factory.person({ weeklyCapacityHours: 40 });
    const needId = await market.postNeed(buyer.lead, buyer.team, {
      hoursPerWeek,
      weeks,
      ratePerHour,
    });
    const bidId = await market.bid(worker, needId, hoursPerWeek, ratePerHour);
    const engagementId = await market.engage(buyer.lead, bidId);
    return { ...buyer, worker, needId, bidId, engagementId };
  };

  it('answers NOT_FOUND on the field asked about for a bid, an engagement or a week that does not exist', async () => {
    const buyer = await market.buyer();
    const worker = await factory.person();
    const missing = randomUUID();
    const accepted = await market.accept(buyer.lead, missing);
    expect([codes(accepted), fields(accepted)]).toEqual([['NOT_FOUND'], ['input.bidId']]);
    const rejected = await sut.gql(
      `mutation($input: RejectBidInput!) { rejectBid(input: $input) { bid { id } } }`,
      { input: { bidId: missing } },
      buyer.lead.token,
    );
    expect([codes(rejected), fields(rejected)]).toEqual([['NOT_FOUND'], ['input.bidId']]);
    const logged = await market.logTime(worker, missing, 2);
    expect([codes(logged), fields(logged)]).toEqual([['NOT_FOUND'], ['input.engagementId']]);
    const approved = await market.approveTimesheet(buyer.lead, missing);
    expect([codes(approved), fields(approved)]).toEqual([['NOT_FOUND'], ['input.timesheetId']]);
    const disputed = await market.disputeTimesheet(buyer.lead, missing);
    expect([codes(disputed), fields(disputed)]).toEqual([['NOT_FOUND'], ['input.timesheetId']]);
  });

  it('pays each logged hour once and keeps the ledger whole under concurrent logging, reviews and a close', async () => {
    const work = await engaged(10, 2, 10);
    expectOk(await market.logTime(work.worker, work.engagementId, 3));
    const week = await market.week(work.lead, work.engagementId);
    const answers = await Promise.all([
      market.approveTimesheet(work.lead, week.id),
      market.approveTimesheet(work.lead, week.id),
      market.disputeTimesheet(work.lead, week.id),
      market.logTime(work.worker, work.engagementId, 2),
      market.logTime(work.worker, work.engagementId, 2),
      market.close(work.lead, work.needId),
    ]);
    for (const answer of answers) {
      expect(codes(answer).filter((c) => c === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    }
    const [paid] = (await sut.dataSource.query(
      `SELECT coalesce(sum(t.amount), 0)::int AS paid
         FROM transfer t JOIN need n ON n.escrow_account_id = t.from_account_id
        WHERE n.id = $1 AND t.kind = 'TIME_PAYMENT'`,
      [work.needId],
    )) as { paid: number }[];
    const [approved] = (await sut.dataSource.query(
      `SELECT coalesce(sum(hours), 0)::int AS hours FROM time_log l JOIN engagement g ON g.id = l.engagement_id
        WHERE g.id = $1 AND l.status = 'APPROVED'`,
      [work.engagementId],
    )) as { hours: number }[];
    expect(paid.paid).toBe(approved.hours * 10);
    expect(await ledger.teamBalance(work.worker.employee.homeTeamId)).toBe(paid.paid);
    expect(await ledger.accountsOutOfBalance()).toEqual([]);
    expect(await ledger.sumOfBalances()).toBe(0);
    expect(await violations()).toEqual([]);
  });

  it('accepts at most what a need asks for when its bids are accepted and withdrawn at once', async () => {
    const buyer = await market.buyer(100_000);
    const needId = await market.postNeed(buyer.lead, buyer.team, { hoursPerWeek: 8, weeks: 2 });
    const workers = await Promise.all(
      Array.from({ length: 4 }, () => factory.person({ weeklyCapacityHours: 40 })),
    );
    const bids = await Promise.all(workers.map((w) => market.bid(w, needId, 4, 10)));
    const answers = await Promise.all([
      ...bids.map((bidId) => market.accept(buyer.lead, bidId)),
      ...bids.map((bidId, i) =>
        sut.gql(
          `mutation($input: BidActionInput!) { withdrawBid(input: $input) { bid { id } } }`,
          { input: { bidId } },
          workers[i].token,
        ),
      ),
    ]);
    for (const answer of answers) {
      expect(codes(answer).filter((c) => c === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    }
    const [need] = (await sut.dataSource.query(
      `SELECT accepted_hours_per_week AS accepted,
              (SELECT count(*)::int FROM engagement WHERE need_id = n.id) AS engagements,
              (SELECT balance::int FROM account WHERE id = n.escrow_account_id) AS escrow
         FROM need n WHERE n.id = $1`,
      [needId],
    )) as { accepted: number; engagements: number; escrow: number }[];
    expect(need.accepted).toBeLessThanOrEqual(8);
    expect(need.accepted).toBe(need.engagements * 4);
    expect(need.escrow).toBe(need.engagements * 4 * 2 * 10);
    expect(await violations()).toEqual([]);
  });

  it('moves no balance when one side of a transfer does not exist, even outside a transaction', async () => {
    const team = await factory.team({ credits: 500 });
    const [{ id: accountId }] = (await sut.dataSource.query(
      `SELECT id FROM account WHERE kind = 'TEAM' AND owner_id = $1`,
      [team.id],
    )) as { id: string }[];
    const recorded = await sut.app.get(TransferRepository).record(sut.dataSource, {
      fromAccountId: accountId,
      toAccountId: randomUUID(),
      amount: 100,
      kind: TransferKind.PLEDGE,
    });
    expect(recorded).toBeUndefined();
    expect(await ledger.teamBalance(team.id)).toBe(500);
    expect(await violations()).toEqual([]);
  });
});
