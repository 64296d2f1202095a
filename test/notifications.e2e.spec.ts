import { randomUUID } from 'node:crypto';
import type { PubSubEngine } from 'graphql-subscriptions';
import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import { findViolations } from '../src/database/invariants.js';
import { notificationTopic } from '../src/modules/notification/notification.service.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import {
  CONTEST_DISPUTE,
  DISPUTE_TIMESHEET,
  expectOk,
  LOG_TIME,
  Market,
} from './support/market.js';
import { listenerAttached, subscribe } from './support/subscriptions.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 15, "inbox": notifications written in the transaction of the change they tell of. A
 * scripted day of market and idea activity, and each person's inbox checked against what they
 * should have been told, by hand.
 */
describe('Notifications', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;

  const INBOX = `query($first: Int, $after: String, $unread: Boolean) {
    notifications(first: $first, after: $after, filter: { unreadOnly: $unread }) {
      nodes { id kind subjectType subjectId message readAt }
      pageInfo { hasNextPage endCursor }
    }
    unreadNotificationCount
  }`;
  const MARK = `mutation($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) { marked unreadCount }
  }`;
  const FOLLOW = `mutation($input: FollowInput!) { follow(input: $input) { following } }`;
  const PREFER = `mutation($input: SetNotificationPreferenceInput!) {
    setNotificationPreference(input: $input) { kind channel }
  }`;

  const inbox = async (person: Person) => {
    const result = await sut.gql(INBOX, { first: 50 }, person.token);
    expectOk(result);
    return {
      kinds: (result.data!.notifications.nodes as { kind: string }[]).map((n) => n.kind).reverse(),
      nodes: result.data!.notifications.nodes as Record<string, any>[],
      unread: result.data!.unreadNotificationCount as number,
    };
  };

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ideas = new Ideas(sut);
  });
  afterEach(async () => {
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('tells each person of their day on the market, and nobody else', async () => {
    const skill = `Phones ${randomUUID().slice(0, 6)}`;
    const { team, lead } = await market.buyer();
    const skilled = await factory.person({ skills: [{ name: skill, level: 3 }] });
    const novice = await factory.person({ skills: [{ name: skill, level: 1 }] });
    const bystander = await factory.person();

    // The lead posts a need asking for the skill at level 2: only `skilled` matches.
    const needId = await market.postNeed(lead, team, {
      title: 'Saturday phones',
      hoursPerWeek: 4,
      weeks: 1,
      requiredSkills: [{ name: skill, minLevel: 2 }],
    });
    // Both bid (the novice may bid, though not matched); the lead accepts the skilled one's,
    // which fills the need and rejects the other.
    const accepted = await market.bid(skilled, needId, 4);
    await market.bid(novice, needId, 4);
    const engagementId = await market.engage(lead, accepted);
    // Hours logged and disputed by the lead; the worker contests.
    expectOk(
      await sut.gql(
        LOG_TIME,
        {
          input: {
            engagementId,
            date: new Date().toISOString().slice(0, 10),
            hours: 2,
            note: 'Calls',
          },
        },
        skilled.token,
      ),
    );
    const [week] = await market.weeks(lead, engagementId);
    const disputed = await sut.gql(
      DISPUTE_TIMESHEET,
      { input: { timesheetId: week.id, reason: 'Not on Saturday' } },
      lead.token,
    );
    expectOk(disputed);
    expectOk(
      await sut.gql(
        CONTEST_DISPUTE,
        { input: { disputeId: disputed.data!.disputeTimesheet.dispute.id, reason: 'It was' } },
        skilled.token,
      ),
    );

    expect((await inbox(skilled)).kinds).toEqual([
      'NEED_MATCHES_SKILLS',
      'BID_ACCEPTED',
      'HOURS_DISPUTED',
    ]);
    expect((await inbox(novice)).kinds).toEqual(['BID_REJECTED']);
    expect((await inbox(lead)).kinds).toEqual(['BID_RECEIVED', 'BID_RECEIVED', 'DISPUTE_ANSWERED']);
    expect((await inbox(bystander)).kinds).toEqual([]);

    const { nodes, unread } = await inbox(skilled);
    expect(unread).toBe(3);
    expect(nodes[2]).toMatchObject({
      kind: 'NEED_MATCHES_SKILLS',
      subjectType: 'Need',
      subjectId: needId,
      readAt: null,
    });
    expect(nodes[2].message).toBe(
      `${lead.employee.name} posted “Saturday phones”, which matches your skills`,
    );
    expect(nodes[1].message).toBe(`${lead.employee.name} accepted your bid on “Saturday phones”`);
    expect(nodes[0]).toMatchObject({ subjectType: 'Engagement', subjectId: engagementId });
  });

  it('tells proposers and followers of their ideas, mentions first, never the actor', async () => {
    const { team: sponsor, lead: sponsorLead } = await market.buyer(50_000);
    const { team: funder, lead: funderLead } = await market.buyer(50_000);
    const proposer = await factory.person();
    const fan = await factory.person();
    const ideaId = await ideas.submitted(proposer, sponsor, 1_000, 'Open the hotline');

    expectOk(
      await sut.gql(
        `mutation($id: ID!) { endorseIdea(input: { ideaId: $id }) { idea { id } } }`,
        { id: ideaId },
        fan.token,
      ),
    );
    expectOk(
      await sut.gql(FOLLOW, { input: { subjectType: 'IDEA', subjectId: ideaId } }, fan.token),
    );
    expectOk(await ideas.pledge(funderLead, ideaId, funder.id, 400));
    // A refused pledge (more than the team holds) rolls back: nobody is told of it.
    expect(codes(await ideas.pledge(funderLead, ideaId, funder.id, 10_000_000))).not.toEqual([]);
    expectOk(
      await sut.gql(
        `mutation($input: CommentOnInput!) { commentOn(input: $input) { comment { id } } }`,
        {
          input: {
            subjectType: 'IDEA',
            subjectId: ideaId,
            body: `Great, @${proposer.employee.email}! Let us try it.`,
          },
        },
        fan.token,
      ),
    );
    expectOk(await ideas.pledge(sponsorLead, ideaId, sponsor.id, 600));
    expectOk(await ideas.approve(sponsorLead, ideaId));

    expect((await inbox(proposer)).kinds).toEqual([
      'IDEA_ENDORSED',
      'IDEA_PLEDGED',
      'MENTIONED',
      'IDEA_FUNDED',
      'IDEA_APPROVED',
    ]);
    // The follower hears of what followed, not of their own endorsement or comment.
    expect((await inbox(fan)).kinds).toEqual(['IDEA_PLEDGED', 'IDEA_FUNDED', 'IDEA_APPROVED']);
    expect((await inbox(funderLead)).kinds).toEqual([]);
  });

  it('marks read, pages, filters unread, honours OFF, and keeps inboxes private', async () => {
    const { team, lead } = await market.buyer();
    const workers = await Promise.all([1, 2, 3].map(() => factory.person()));
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 1, weeks: 1 });
    for (const worker of workers) await market.bid(worker, needId, 1);

    const page1 = await sut.gql(INBOX, { first: 2 }, lead.token);
    expect(page1.data!.notifications.nodes).toHaveLength(2);
    expect(page1.data!.notifications.pageInfo.hasNextPage).toBe(true);
    const page2 = await sut.gql(
      INBOX,
      { first: 2, after: page1.data!.notifications.pageInfo.endCursor },
      lead.token,
    );
    expect(page2.data!.notifications.nodes).toHaveLength(1);

    const [newest] = page1.data!.notifications.nodes as { id: string }[];
    // Someone else's id marks nothing of theirs, and reads nothing.
    const other = workers[0];
    const stranger = await sut.gql(MARK, { input: { notificationIds: [newest.id] } }, other.token);
    expect(stranger.data!.markNotificationsRead.marked).toBe(0);
    const mark = await sut.gql(MARK, { input: { notificationIds: [newest.id] } }, lead.token);
    expect(mark.data!.markNotificationsRead).toEqual({ marked: 1, unreadCount: 2 });
    const unread = await sut.gql(INBOX, { first: 10, unread: true }, lead.token);
    expect(unread.data!.notifications.nodes.map((n: { id: string }) => n.id)).not.toContain(
      newest.id,
    );
    const all = await sut.gql(MARK, { input: {} }, lead.token);
    expect(all.data!.markNotificationsRead).toEqual({ marked: 2, unreadCount: 0 });

    // Turned off, a kind is no longer written.
    expectOk(
      await sut.gql(PREFER, { input: { kind: 'BID_RECEIVED', channel: 'OFF' } }, lead.token),
    );
    await market.bid(await factory.person(), needId, 1);
    expect((await inbox(lead)).unread).toBe(0);
    const preferences = await sut.gql(
      `{ notificationPreferences { kind channel } }`,
      {},
      lead.token,
    );
    expect(preferences.data!.notificationPreferences).toContainEqual({
      kind: 'BID_RECEIVED',
      channel: 'OFF',
    });
    expect(preferences.data!.notificationPreferences).toContainEqual({
      kind: 'BID_ACCEPTED',
      channel: 'INBOX',
    });
    // Nobody follows what they cannot see: a draft is its proposer's alone.
    const draft = await ideas.propose(workers[1], team, 100);
    const refused = await sut.gql(
      FOLLOW,
      { input: { subjectType: 'IDEA', subjectId: draft } },
      workers[2].token,
    );
    expect(codes(refused)).toEqual(['NOT_FOUND']);
  });

  it('delivers a new notification to its recipient’s subscription, and only theirs', async () => {
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 1, weeks: 1 });
    const query = `subscription { notificationReceived { kind subjectId message } }`;
    const mine = subscribe(sut.url, lead.token, query, {});
    const theirs = subscribe(sut.url, worker.token, query, {});
    try {
      const pubSub = sut.app.get<PubSubEngine>(PUB_SUB);
      await listenerAttached(pubSub, notificationTopic(lead.employee.id));
      await listenerAttached(pubSub, notificationTopic(worker.employee.id));
      await market.bid(worker, needId, 1);
      const event = await mine.next();
      expect(event.data.notificationReceived).toMatchObject({
        kind: 'BID_RECEIVED',
        subjectId: needId,
      });
      // The worker's own bid told the worker nothing: their next event is the acceptance.
      const bids = await sut.dataSource.query(`SELECT id FROM bid WHERE need_id = $1`, [needId]);
      await market.engage(lead, bids[0].id);
      expect((await theirs.next()).data.notificationReceived.kind).toBe('BID_ACCEPTED');
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});

describe('Notifications across instances (Redis)', () => {
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

  it('delivers a notification written on instance A to its recipient subscribed on B', async () => {
    const market = new Market(instanceA, new Factory(instanceA));
    const { team, lead } = await market.buyer();
    const worker = await market.factory.person();
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 1, weeks: 1 });
    const subscriber = subscribe(
      instanceB.url,
      lead.token,
      `subscription { notificationReceived { kind subjectId } }`,
      {},
    );
    try {
      const pubSub = instanceB.app.get<PubSubEngine>(PUB_SUB);
      await listenerAttached(pubSub, notificationTopic(lead.employee.id));
      await market.bid(worker, needId, 1);
      expect((await subscriber.next()).data.notificationReceived).toEqual({
        kind: 'BID_RECEIVED',
        subjectId: needId,
      });
    } finally {
      await subscriber.close();
    }
  });
});
