import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { DomainError } from '../src/common/errors/domain-error.js';
import { BudgetService } from '../src/modules/budget/budget.service.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { ACCEPT_BID, CLOSE_NEED, Market, expectOk } from './support/market.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Probes of the unit of work from outside (issue 12's refactor): keys claimed concurrently,
 * keys reused across operations and actors, and an exhausted pool, which must refuse
 * whole (SERVICE_UNAVAILABLE) and leave nothing behind.
 */
describe('unit of work, attacked', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let probe: LedgerProbe;

  beforeAll(async () => {
    sut = await startTestApp({ DB_POOL_SIZE: '10' });
    factory = new Factory(sut);
    market = new Market(sut, factory);
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(() => sut.close());

  async function pendingBid(): Promise<{ lead: Person; needId: string; bidId: string }> {
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 2 });
    const bidId = await market.bid(worker, needId, 2);
    return { lead, needId, bidId };
  }

  it('answers 30 concurrent first calls with one key once: one engagement, one escrow', async () => {
    const { lead, needId, bidId } = await pendingBid();
    const variables = { input: { bidId, idempotencyKey: randomUUID() } };
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => sut.gql(ACCEPT_BID, variables, lead.token)),
    );
    for (const answer of answers) expectOk(answer);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const [row] = await sut.dataSource.query(
      `SELECT (SELECT count(*)::int FROM engagement WHERE need_id = $1) AS engagements,
              (SELECT count(*)::int FROM event WHERE action = 'bid.accept' AND subject_id = $2) AS events,
              (SELECT count(*)::int FROM transfer t JOIN need n ON n.escrow_account_id = t.to_account_id
                WHERE n.id = $1) AS deposits`,
      [needId, bidId],
    );
    expect(row).toEqual({ engagements: 1, events: 1, deposits: 1 });
    expect(await probe.sumOfBalances()).toBe(0);
  });

  it('refuses a key reused for another operation by the same actor, changing nothing', async () => {
    const { lead, needId, bidId } = await pendingBid();
    const idempotencyKey = randomUUID();
    expectOk(await market.accept(lead, bidId, idempotencyKey));
    const before = await market.snapshot(needId, bidId);
    const reused = await sut.gql(CLOSE_NEED, { input: { needId, idempotencyKey } }, lead.token);
    expect(codes(reused)).toEqual(['CONFLICT']);
    expect(reused.errors![0].extensions?.field).toBe('input.idempotencyKey');
    expect(await market.snapshot(needId, bidId)).toEqual(before);
  });

  it("scopes keys to their actor: another lead's call with the same key runs for itself", async () => {
    const { team, lead } = await market.buyer();
    const other = await factory.person({ team, leads: [team] });
    const first = await factory.person();
    const second = await factory.person();
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 2 });
    const firstBid = await market.bid(first, needId, 2);
    const secondBid = await market.bid(second, needId, 2);
    const idempotencyKey = randomUUID();
    const a = await market.accept(lead, firstBid, idempotencyKey);
    const b = await market.accept(other, secondBid, idempotencyKey);
    expectOk(a);
    expectOk(b);
    expect(b.data!.acceptBid.bid.id).toBe(secondBid);
    expect(b.data!.acceptBid.engagement.id).not.toBe(a.data!.acceptBid.engagement.id);
  });
});

describe('an exhausted pool', () => {
  let sut: TestApp;
  let factory: Factory;
  let probe: LedgerProbe;
  const held: QueryRunner[] = [];

  beforeAll(async () => {
    sut = await startTestApp({ DB_POOL_SIZE: '2', DB_POOL_TIMEOUT_MS: '300' });
    factory = new Factory(sut);
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(async () => {
    await Promise.all(held.splice(0).map((runner) => runner.release()));
    await sut.close();
  });

  async function holdEveryConnection(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      const runner = sut.dataSource.createQueryRunner();
      await runner.connect();
      held.push(runner);
    }
  }

  async function releaseThem(): Promise<void> {
    await Promise.all(held.splice(0).map((runner) => runner.release()));
  }

  it('refuses a mutation with SERVICE_UNAVAILABLE, changes nothing, and leaves its key free', async () => {
    const team = await factory.team();
    const idempotencyKey = randomUUID();
    await holdEveryConnection();
    let refusal: unknown;
    try {
      await sut.app
        .get(BudgetService)
        .allocateCredits({ teamId: team.id, amount: 50, idempotencyKey }, null);
    } catch (error) {
      refusal = error;
    } finally {
      await releaseThem();
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('SERVICE_UNAVAILABLE');
    expect(await probe.teamBalance(team.id)).toBe(0);
    const transfer = await sut.app
      .get(BudgetService)
      .allocateCredits({ teamId: team.id, amount: 50, idempotencyKey }, null);
    expect(transfer.amount).toBe(50);
    expect(await probe.teamBalance(team.id)).toBe(50);
  });

  it('answers a GraphQL call with SERVICE_UNAVAILABLE and changes nothing', async () => {
    const admin = await factory.admin();
    const team = await factory.team();
    await holdEveryConnection();
    let answer;
    try {
      answer = await sut.gql(
        `mutation($input: AllocateCreditsInput!) { allocateCredits(input: $input) { transfer { id } } }`,
        { input: { teamId: team.id, amount: 10 } },
        admin.token,
      );
    } finally {
      await releaseThem();
    }
    expect(codes(answer)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(await probe.teamBalance(team.id)).toBe(0);
    expect(await probe.eventsBy(admin.employee.id)).toBe(0);
  });

  it('answers an HTTP route (CSV export) with a coded 503, not an uncoded 500', async () => {
    const admin = await factory.admin();
    await holdEveryConnection();
    let status: number;
    let body: { error?: { code?: string; retryAfterSeconds?: number } };
    let retryAfter: string | null;
    try {
      const response = await fetch(`${sut.url}/export/team-pnl.csv`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = (await response.json()) as typeof body;
    } finally {
      await releaseThem();
    }
    expect(status).toBe(503);
    expect(body.error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(retryAfter).toBe('1');
  });
});
