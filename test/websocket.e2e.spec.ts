import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { SignJWT } from 'jose';
import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import {
  MAX_CONNECTIONS_PER_EMPLOYEE,
  MAX_MESSAGE_BYTES,
  MAX_PENDING_CONNECTIONS_PER_ADDRESS,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  SubscriptionServer,
} from '../src/common/graphql/subscription-server.js';
import { ideaChangedTopic } from '../src/modules/idea/idea.service.js';
import { bidPlacedTopic } from '../src/modules/market/bid.service.js';
import { freePort } from './setup/test-database.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { openRawSocket, signedInSocket, type RawSocket } from './support/raw-socket.js';
import { startServiceProcess } from './support/service-process.js';
import { listenerAttached, listenersDetached, subscribe } from './support/subscriptions.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';

const BID_PLACED = `subscription($needId: ID!) { bidPlaced(needId: $needId) { id message bidder { id } } }`;
const IDEA_CHANGED = `subscription($id: ID!) { ideaChanged(ideaId: $id) { id endorsementCount } }`;
const ENDORSE = `mutation($id: ID!) { endorseIdea(input: { ideaId: $id }) { idea { id } } }`;

/**
 * A bare WebSocket upgrade request: the HTTP status and Retry-After it is answered with, and
 * the upgraded socket (for the caller to destroy).
 */
function upgradeRequest(
  baseUrl: string,
): Promise<{ status?: number; retryAfter?: string; socket?: Duplex }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl}/graphql`, {
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-transport-ws',
      },
    });
    request.once('response', (response) => {
      resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] });
      response.resume();
    });
    request.once('upgrade', (response, socket) => resolve({ status: response.statusCode, socket }));
    request.once('error', reject);
  });
}

/** A subscribe message. */
const subscribeMessage = (id: string, query: string, variables: Record<string, unknown> = {}) => ({
  id,
  type: 'subscribe',
  payload: { query, variables },
});

describe('The WebSocket endpoint', () => {
  it('survives a 12 MB connection_init from anyone and keeps answering /health', async () => {
    // As `npm start` runs it: a 200 MB heap, which that message used to exhaust.
    const service = await startServiceProcess(
      {
        DATABASE_URL: process.env.TEST_DATABASE_URL!,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      },
      ['--max-old-space-size=200'],
    );
    try {
      const base = service.graphqlUrl.replace(/\/graphql$/, '');
      const socket = await openRawSocket(base);
      const payload = `[${'{},'.repeat(4_000_000)}{}]`;
      socket.send(`{"type":"connection_init","payload":${payload}}`);
      // 1009 (message too big), or 1006 when the client is still writing as the server hangs up.
      expect([1009, 1006]).toContain((await socket.closed).code);
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(service.child.exitCode).toBeNull();
    } finally {
      await service.stop();
    }
  });

  describe('in one instance', () => {
    let sut: TestApp;
    let factory: Factory;
    let market: Market;
    let ideas: Ideas;

    beforeAll(async () => {
      sut = await startTestApp();
      factory = new Factory(sut);
      market = new Market(sut, factory);
      ideas = new Ideas(sut);
    });
    afterAll(() => sut.close());

    it('closes a socket that does not sign in with a valid token within a few seconds', async () => {
      const silent = await openRawSocket(sut.url);
      expect((await silent.closed).code).toBe(4408);
      const forged = await openRawSocket(sut.url);
      forged.send({ type: 'connection_init', payload: { authorization: 'Bearer not-a-token' } });
      expect((await forged.closed).code).toBe(4403);
    });

    it(`refuses any message over ${MAX_MESSAGE_BYTES / 1024} KB, signed in or not`, async () => {
      const { token } = await factory.person();
      const socket = await signedInSocket(sut.url, token);
      const padding = ' '.repeat(MAX_MESSAGE_BYTES);
      socket.send(subscribeMessage('1', `subscription { __typename ${padding}}`));
      expect((await socket.closed).code).toBe(1009);
    });

    it(`allows ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, async () => {
      const proposer = await factory.person();
      const ideaId = await ideas.submitted(proposer, await factory.team(), 100);
      const { token } = await factory.person();
      const socket = await signedInSocket(sut.url, token);
      try {
        for (let i = 1; i <= MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
          socket.send(subscribeMessage(String(i), IDEA_CHANGED, { id: ideaId }));
        }
        await listenerAttached(
          sut.app.get(PUB_SUB),
          ideaChangedTopic(ideaId),
          MAX_SUBSCRIPTIONS_PER_CONNECTION,
        );
        socket.send(subscribeMessage('extra', IDEA_CHANGED, { id: ideaId }));
        const refusal = await socket.next();
        expect(refusal).toMatchObject({
          id: 'extra',
          type: 'error',
          payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
        });
        // The ones it has keep working.
        expectOk(await sut.gql(ENDORSE, { id: ideaId }, token));
        const delivered = new Set<string>();
        for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
          const message = await socket.next();
          expect(message.type).toBe('next');
          delivered.add(message.id);
        }
        expect(delivered.size).toBe(MAX_SUBSCRIPTIONS_PER_CONNECTION);
      } finally {
        await socket.close();
      }
    });

    it('keeps one subscription per id however often it is completed and reused, and none once closed', async () => {
      const ideaId = await ideas.submitted(await factory.person(), await factory.team(), 100);
      const topic = ideaChangedTopic(ideaId);
      const { token } = await factory.person();
      const socket = await signedInSocket(sut.url, token);
      for (let i = 0; i < 300; i++) {
        socket.send(subscribeMessage('x', IDEA_CHANGED, { id: ideaId }));
        socket.send({ id: 'x', type: 'complete' });
      }
      // Ids reused while starting, and more than the cap in all: none may outlive the socket.
      for (let i = 0; i < 2 * MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
        socket.send(subscribeMessage(`s${i}`, IDEA_CHANGED, { id: ideaId }));
        socket.send({ id: `s${i}`, type: 'complete' });
        socket.send(subscribeMessage(`s${i}`, IDEA_CHANGED, { id: ideaId }));
      }
      // Messages are taken in order: once the pong is back, every subscribe above has begun.
      socket.send({ type: 'ping' });
      while ((await socket.next()).type !== 'pong');
      // Once nothing is starting any more, every id the client completed has ended...
      const server = sut.app.get(SubscriptionServer);
      const deadline = Date.now() + 10_000;
      while (server.stats().starting > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(server.stats()).toMatchObject({ starting: 0, running: 0 });
      // ...and whatever the client left (a live x, if any) ends with the socket.
      await socket.close();
      await listenersDetached(sut.app.get(PUB_SUB), topic);
    });

    it(`allows ${MAX_CONNECTIONS_PER_EMPLOYEE} connections per employee`, async () => {
      const { token } = await factory.person();
      const other = await factory.person();
      const sockets: RawSocket[] = [];
      try {
        for (let i = 0; i < MAX_CONNECTIONS_PER_EMPLOYEE; i++) {
          sockets.push(await signedInSocket(sut.url, token));
        }
        const extra = await openRawSocket(sut.url);
        extra.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
        expect((await extra.closed).code).toBe(4429);
        // Someone else still gets in; and a closed connection frees its place.
        sockets.push(await signedInSocket(sut.url, other.token));
        await sockets.shift()!.close();
        sockets.push(await signedInSocket(sut.url, token));
      } finally {
        await Promise.all(sockets.map((s) => s.close()));
      }
    });

    it('prices a subscription with its real variables, as when they are written inline', async () => {
      const { token } = await factory.person();
      const needId = '00000000-0000-4000-8000-000000000000';
      const costly = (first: string) => `need { bids(first: ${first}) { nodes { id
        need { bids(first: ${first}) { nodes { id bidder { name } } } } } } }`;
      const inline = subscribe(
        sut.url,
        token,
        `subscription { bidPlaced(needId: "${needId}") { ${costly('100')} } }`,
        {},
      );
      const withVariables = subscribe(
        sut.url,
        token,
        `subscription($id: ID!, $first: Int!) { bidPlaced(needId: $id) { ${costly('$first')} } }`,
        { id: needId, first: 100 },
      );
      try {
        for (const subscriber of [inline, withVariables]) {
          const errors = await subscriber.next().then(
            () => [],
            (e: { extensions?: { code?: string } }[]) => e,
          );
          expect(errors[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
        }
      } finally {
        await Promise.all([inline.close(), withVariables.close()]);
      }
    });

    it('closes the connection when its token expires', async () => {
      const { employee } = await factory.person();
      const { issuer, audience } = sut.config.jwt;
      const shortLived = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(employee.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      const socket = await signedInSocket(sut.url, shortLived);
      const { code } = await socket.closed;
      expect(code).toBe(4401);
    });

    it('stops telling a lead about bids once they are no longer a lead', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const demoted = await factory.person({ team, leads: [team] });
      const staying = subscribe(sut.url, lead.token, BID_PLACED, { needId });
      const leaving = subscribe(sut.url, demoted.token, BID_PLACED, { needId });
      try {
        await listenerAttached(sut.app.get(PUB_SUB), bidPlacedTopic(needId), 2);
        await sut.dataSource.query(
          `UPDATE team_membership SET role = 'MEMBER' WHERE team_id = $1 AND employee_id = $2`,
          [team.id, demoted.employee.id],
        );
        const worker = await factory.person();
        const bidId = await market.bid(worker, needId, 1);
        expect((await staying.next()).data.bidPlaced.id).toBe(bidId);
        const refused = await leaving.next().then(
          (event) => ({ leaked: event }),
          (errors: { extensions?: { code?: string } }[]) => errors,
        );
        expect(refused).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
      } finally {
        await Promise.all([staying.close(), leaving.close()]);
      }
    });

    it('records a refused subscription in the audit log', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const stranger = await factory.person();
      const subscriber = subscribe(sut.url, stranger.token, BID_PLACED, { needId });
      try {
        const answer = await subscriber.next();
        expect(answer.errors?.[0].extensions.code).toBe('FORBIDDEN');
      } finally {
        await subscriber.close();
      }
      const recorded = await sut.dataSource.query(
        `SELECT payload FROM event WHERE action = 'auth.refused' AND actor_id = $1`,
        [stranger.employee.id],
      );
      expect(recorded).toEqual([
        { payload: expect.objectContaining({ operation: 'Subscription.bidPlaced' }) },
      ]);
    });

    it('resolves every delivered event with the subscriber’s rights at that moment', async () => {
      const sponsor = await factory.team();
      const ideaId = await ideas.submitted(await factory.person({ team: sponsor }), sponsor, 100);
      const elsewhere = await factory.team();
      // Open books: a lead of any team sees every team's balance, a member only their own.
      const reader: Person = await factory.person({ team: elsewhere, leads: [elsewhere] });
      const subscriber = subscribe(
        sut.url,
        reader.token,
        `subscription($id: ID!) { ideaChanged(ideaId: $id) { id sponsorTeam { id balance } } }`,
        { id: ideaId },
      );
      try {
        await listenerAttached(sut.app.get(PUB_SUB), ideaChangedTopic(ideaId));
        expectOk(await sut.gql(ENDORSE, { id: ideaId }, (await factory.person()).token));
        const before = await subscriber.next();
        expect(before.errors).toBeUndefined();
        expect(typeof before.data.ideaChanged.sponsorTeam.balance).toBe('number');

        await sut.dataSource.query(
          `UPDATE team_membership SET role = 'MEMBER' WHERE employee_id = $1`,
          [reader.employee.id],
        );
        expectOk(await sut.gql(ENDORSE, { id: ideaId }, (await factory.person()).token));
        const after = await subscriber.next();
        expect(after.errors?.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(after.data ?? null)).not.toMatch(/balance":\d/);
      } finally {
        await subscriber.close();
      }
    });
  });

  describe('rate limits', () => {
    let sut: TestApp;
    let factory: Factory;
    let ideas: Ideas;

    beforeAll(async () => {
      sut = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_IP_PER_MINUTE: '60' });
      factory = new Factory(sut);
      ideas = new Ideas(sut);
    });
    afterAll(() => sut.close());

    it('counts each subscription started against the employee', async () => {
      const proposer = await factory.person();
      const ideaId = await ideas.submitted(proposer, await factory.team(), 100);
      const { token } = await factory.person();
      const socket = await signedInSocket(sut.url, token);
      try {
        for (let i = 1; i <= 5; i++) {
          socket.send(subscribeMessage(String(i), IDEA_CHANGED, { id: ideaId }));
          await listenerAttached(sut.app.get(PUB_SUB), ideaChangedTopic(ideaId), i);
        }
        socket.send(subscribeMessage('6', IDEA_CHANGED, { id: ideaId }));
        const refusal = await socket.next();
        expect(refusal).toMatchObject({
          id: '6',
          type: 'error',
          payload: [{ extensions: { code: 'RATE_LIMITED' } }],
        });
        expect(refusal.payload[0].extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      } finally {
        await socket.close();
      }
    });

    it(`lets at most ${MAX_PENDING_CONNECTIONS_PER_ADDRESS} sockets of one address wait to sign in, even with counters in Redis`, async () => {
      const shared = await startTestApp({
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      });
      try {
        const attempts = await Promise.all(
          Array.from({ length: 100 }, () => upgradeRequest(shared.url)),
        );
        const upgraded = attempts.filter((a) => a.status === 101);
        for (const attempt of attempts) attempt.socket?.destroy();
        expect(upgraded.length).toBe(MAX_PENDING_CONNECTIONS_PER_ADDRESS);
        expect(attempts.filter((a) => a.status === 429).length).toBe(
          100 - MAX_PENDING_CONNECTIONS_PER_ADDRESS,
        );
      } finally {
        await shared.close();
      }
    });

    it('counts every message and every connection against the address', async () => {
      const { token } = await factory.person();
      const socket = await signedInSocket(sut.url, token);
      for (let i = 0; i < 100; i++) socket.send({ type: 'ping' });
      expect((await socket.closed).code).toBe(4429);
      // The address has used its minute: new connections are refused at the upgrade.
      const refused = await upgradeRequest(sut.url);
      refused.socket?.destroy();
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    });
  });
});
