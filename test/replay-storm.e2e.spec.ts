import { randomUUID } from 'node:crypto';
import { Factory, type Person } from './support/factories.js';
import { APPROVE, Ideas, PLEDGE } from './support/ideas.js';
import { ACCEPT_BID, CLOSE_NEED, LOG_TIME, Market, expectOk } from './support/market.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

/**
 * A client in a retry storm: the first call with an idempotency key succeeds, then the same
 * call arrives 50 times at once against a pool of 10 connections. Every replay must answer the
 * first result from the transaction it runs in (never a second pooled connection), so none of
 * them waits on a connection that another replay holds, and /health keeps answering.
 */
const POOL_SIZE = 10;
const REPLAYS = 50;

const ALLOCATE = `mutation($input: AllocateCreditsInput!) {
  allocateCredits(input: $input) { team { id balance } transfer { id amount kind } }
}`;
const REJECT_IDEA = `mutation($input: RejectIdeaInput!) {
  rejectIdea(input: $input) { idea { id status } refunds { id amount } }
}`;
const COMPLETE = `mutation($input: FinishInitiativeInput!) {
  completeInitiative(input: $input) { initiative { id status balance } refunds { id amount } }
}`;
const CANCEL = `mutation($input: FinishInitiativeInput!) {
  cancelInitiative(input: $input) { initiative { id status balance } refunds { id amount } }
}`;

describe('idempotent replays under a retry storm', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;
  let admin: Person;

  beforeAll(async () => {
    sut = await startTestApp({ DB_POOL_SIZE: String(POOL_SIZE) });
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ideas = new Ideas(sut);
    admin = await factory.admin();
  });

  afterAll(() => sut.close());

  /**
   * Sends `query` once, then REPLAYS times at once while polling /health, and checks that every
   * replay answered exactly what the first call did and that /health never said the database was down.
   */
  async function storm(
    query: string,
    input: Record<string, unknown>,
    token: string,
  ): Promise<GraphQLResponse> {
    const variables = { input: { ...input, idempotencyKey: randomUUID() } };
    const first = await sut.gql(query, variables, token);
    expectOk(first);

    const healthAnswers: number[] = [];
    let stormOver = false;
    const probing = (async () => {
      while (!stormOver) {
        const response = await fetch(`${sut.url}/health`);
        healthAnswers.push(response.status);
        await response.arrayBuffer();
      }
    })();
    const replays = await Promise.all(
      Array.from({ length: REPLAYS }, () => sut.gql(query, variables, token)),
    );
    stormOver = true;
    await probing;

    for (const replay of replays) expect(replay).toEqual(first);
    expect(healthAnswers.length).toBeGreaterThan(0);
    expect(healthAnswers.filter((status) => status !== 200)).toEqual([]);
    return first;
  }

  async function engagement(): Promise<{
    lead: Person;
    worker: Person;
    needId: string;
    bidId: string;
  }> {
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 2 });
    const bidId = await market.bid(worker, needId, 2);
    return { lead, worker, needId, bidId };
  }

  /** An initiative and its owner (the idea's proposer). */
  async function approvedInitiative(): Promise<{ owner: Person; initiativeId: string }> {
    const { team, lead } = await market.buyer();
    const proposer = await factory.person({ team });
    const initiativeId = await ideas.initiative(proposer, team, lead, [
      { lead, team, amount: 500 },
    ]);
    return { owner: proposer, initiativeId };
  }

  it('answers replays of allocateCredits', async () => {
    const team = await factory.team();
    await storm(ALLOCATE, { teamId: team.id, amount: 100, memo: 'storm' }, admin.token);
  });

  it('answers replays of acceptBid', async () => {
    const { lead, bidId } = await engagement();
    const first = await storm(ACCEPT_BID, { bidId }, lead.token);
    expect(first.data!.acceptBid.bid.status).toBe('ACCEPTED');
  });

  it('answers replays of logTime', async () => {
    const { lead, worker, bidId } = await engagement();
    const engagementId = await market.engage(lead, bidId);
    const date = new Date().toISOString().slice(0, 10);
    await storm(LOG_TIME, { engagementId, hours: 2, date, note: 'storm' }, worker.token);
  });

  it('answers replays of closeNeed', async () => {
    const { lead, needId } = await engagement();
    await storm(CLOSE_NEED, { needId }, lead.token);
  });

  it('answers replays of pledgeToIdea, approveIdea and rejectIdea', async () => {
    const { team, lead } = await market.buyer();
    const proposer = await factory.person({ team });
    const funded = await ideas.submitted(proposer, team, 300);
    await storm(PLEDGE, { ideaId: funded, teamId: team.id, amount: 300 }, lead.token);
    await storm(APPROVE, { ideaId: funded }, lead.token);

    const rejected = await ideas.submitted(proposer, team, 300);
    expectOk(await ideas.pledge(lead, rejected, team.id, 100));
    await storm(REJECT_IDEA, { ideaId: rejected, reason: 'Not now' }, lead.token);
  });

  it('answers replays of completeInitiative and cancelInitiative', async () => {
    const completed = await approvedInitiative();
    await storm(COMPLETE, { initiativeId: completed.initiativeId }, completed.owner.token);
    const cancelled = await approvedInitiative();
    await storm(
      CANCEL,
      { initiativeId: cancelled.initiativeId, note: 'Stop' },
      cancelled.owner.token,
    );
  });
});

describe('an exhausted connection pool', () => {
  let sut: TestApp;
  let admin: Person;

  beforeAll(async () => {
    sut = await startTestApp({ DB_POOL_SIZE: '1', DB_POOL_TIMEOUT_MS: '200' });
    admin = await new Factory(sut).admin();
  });

  afterAll(() => sut.close());

  it('refuses with SERVICE_UNAVAILABLE instead of queueing for ever, and recovers', async () => {
    const team = await new Factory(sut).team();
    const held = sut.dataSource.createQueryRunner();
    await held.connect();
    try {
      const response = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({
          query: ALLOCATE,
          variables: { input: { teamId: team.id, amount: 5 } },
        }),
      });
      // An execution error: other fields of the same operation may still answer, so HTTP 200.
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors?.map((e) => e.extensions)).toEqual([
        { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
      ]);
    } finally {
      await held.release();
    }
    const [{ balance }] = await sut.dataSource.query(
      `SELECT balance::int FROM account WHERE kind = 'TEAM' AND owner_id = $1`,
      [team.id],
    );
    expect(balance).toBe(0);
    expectOk(await sut.gql(ALLOCATE, { input: { teamId: team.id, amount: 5 } }, admin.token));
  });
});
