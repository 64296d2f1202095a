import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import { bidPlacedTopic } from '../src/modules/market/bid.service.js';
import { Factory } from './support/factories.js';
import { Market } from './support/market.js';
import { listenerAttached, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BID_PLACED = `subscription($needId: ID!) { bidPlaced(needId: $needId) { id hoursPerWeek bidder { id } need { id } } }`;

describe('Live bid notifications', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
  });
  afterAll(() => sut.close());

  it("tells the buyer's lead about bids on their need, and nothing about other needs", async () => {
    const { team, lead } = await market.buyer();
    const watched = await market.postNeed(lead, team);
    const unwatched = await market.postNeed(lead, team);
    const subscriber = subscribe(sut.url, lead.token, BID_PLACED, { needId: watched });
    try {
      await listenerAttached(sut.app.get(PUB_SUB), bidPlacedTopic(watched));
      const worker = await factory.person();
      const firstBid = await market.bid(worker, watched, 1);
      expect(await subscriber.next()).toEqual({
        data: {
          bidPlaced: {
            id: firstBid,
            hoursPerWeek: 1,
            bidder: { id: worker.employee.id },
            need: { id: watched },
          },
        },
      });

      const elsewhere = await factory.person();
      await market.bid(elsewhere, unwatched, 1);
      const second = await factory.person();
      const secondBid = await market.bid(second, watched, 2);
      // Had the other need's bid leaked, it would have arrived first.
      expect((await subscriber.next()).data.bidPlaced).toMatchObject({
        id: secondBid,
        hoursPerWeek: 2,
      });
    } finally {
      await subscriber.close();
    }
  });

  it("refuses the subscription to anyone but the buyer's leads", async () => {
    const { team, lead } = await market.buyer();
    const needId = await market.postNeed(lead, team);
    const member = await factory.person({ team });
    const subscriber = subscribe(sut.url, member.token, BID_PLACED, { needId });
    try {
      const refusal = await subscriber.next();
      expect(refusal.data).toBeUndefined();
      expect(
        refusal.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
      ).toEqual(['FORBIDDEN']);
    } finally {
      await subscriber.close();
    }
  });

  it('refuses a connection without a valid token', async () => {
    const { team, lead } = await market.buyer();
    const needId = await market.postNeed(lead, team);
    for (const token of [undefined, 'forged']) {
      const subscriber = subscribe(sut.url, token, BID_PLACED, { needId });
      try {
        await expect(subscriber.next()).rejects.toMatchObject({ code: 4403 });
      } finally {
        await subscriber.close();
      }
    }
  });
});

describe('Live bid notifications across instances (Redis)', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let instanceA: TestApp;
  let instanceB: TestApp;

  beforeAll(async () => {
    instanceA = await startTestApp({ REDIS_URL: redisUrl });
    instanceB = await startTestApp({ REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await instanceA.close();
    await instanceB.close();
  });

  it('delivers a bid placed on instance A to a subscriber connected to instance B', async () => {
    const market = new Market(instanceA);
    const { team, lead } = await market.buyer();
    const needId = await market.postNeed(lead, team);
    const subscriber = subscribe(instanceB.url, lead.token, BID_PLACED, { needId });
    try {
      await listenerAttached(instanceB.app.get(PUB_SUB), bidPlacedTopic(needId));
      const worker = await market.factory.person();
      const bidId = await market.bid(worker, needId, 3);
      expect((await subscriber.next()).data.bidPlaced).toMatchObject({
        id: bidId,
        hoursPerWeek: 3,
        need: { id: needId },
      });
    } finally {
      await subscriber.close();
    }
  });
});
