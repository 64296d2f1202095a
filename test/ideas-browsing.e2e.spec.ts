import { randomUUID } from 'node:crypto';
import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import { ideaChangedTopic } from '../src/modules/idea/idea.service.js';
import { initiativeChangedTopic } from '../src/modules/initiative/initiative.service.js';
import { Factory, LedgerProbe } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk } from './support/market.js';
import { listenerAttached, subscribe } from './support/subscriptions.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

describe('Finding, discussing and following ideas', () => {
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    ideas = new Ideas(sut);
  });
  afterAll(() => sut.close());

  it('lists ideas newest, most endorsed or most funded first, hiding others’ drafts', async () => {
    const sponsor = await factory.team({ credits: 10_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const alice = await factory.person();
    const bob = await factory.person();
    const a = await ideas.submitted(alice, sponsor, 1_000, 'Idea A');
    const b = await ideas.submitted(alice, sponsor, 1_000, 'Idea B');
    const c = await ideas.submitted(bob, sponsor, 1_000, 'Idea C');
    const draft = await ideas.propose(alice, sponsor, 1_000, 'Idea D (draft)');
    const endorse = (who: typeof bob, id: string) =>
      sut.gql(
        `mutation($id: ID!) { endorseIdea(input: { ideaId: $id }) { idea { id } } }`,
        { id },
        who.token,
      );
    for (const who of [bob, lead]) expectOk(await endorse(who, a));
    expectOk(await endorse(lead, b));
    expectOk(await ideas.pledge(lead, b, sponsor.id, 500));
    expectOk(await ideas.pledge(lead, c, sponsor.id, 100));

    const list = async (sort: string, who = bob) =>
      (
        await sut.gql(
          `query($team: ID!, $sort: IdeaSort!) { ideas(filter: { sponsorTeamId: $team }, sort: $sort) { totalCount nodes { id } } }`,
          { team: sponsor.id, sort },
          who.token,
        )
      ).data!.ideas;
    expect(await list('NEWEST')).toEqual({
      totalCount: 3,
      nodes: [{ id: c }, { id: b }, { id: a }],
    });
    expect((await list('MOST_ENDORSED')).nodes).toEqual([{ id: a }, { id: b }, { id: c }]);
    expect((await list('MOST_FUNDED')).nodes).toEqual([{ id: b }, { id: c }, { id: a }]);
    expect((await list('NEWEST', alice)).nodes).toEqual([
      { id: draft },
      { id: c },
      { id: b },
      { id: a },
    ]);

    // Taking an endorsement back works, endorsing twice does not count twice.
    const unendorse = await sut.gql(
      `mutation($id: ID!) { endorseIdea(input: { ideaId: $id, endorsed: false }) { idea { endorsementCount endorsedByMe } } }`,
      { id: a },
      bob.token,
    );
    expect(unendorse.data!.endorseIdea.idea).toEqual({ endorsementCount: 1, endorsedByMe: false });
  });

  it('shows ideas that look alike, so duplicates are seen before both are funded', async () => {
    const sponsor = await factory.team();
    const proposer = await factory.person();
    const word = `hotline${randomUUID()
      .replace(/[^a-f]/g, '')
      .slice(0, 5)}`;
    const original = await ideas.submitted(proposer, sponsor, 500, `Open the ${word} to any topic`);
    const unrelated = await ideas.submitted(proposer, sponsor, 500, 'Quarterly picnic by the lake');
    const othersDraft = await ideas.propose(
      await factory.person(),
      sponsor,
      500,
      `Open the ${word} to any topic, again`,
    );
    const duplicate = await ideas.submitted(
      await factory.person(),
      sponsor,
      500,
      `${word}: open it for any topic at all`,
    );
    const result = await sut.gql(
      `query($id: ID!) { idea(id: $id) { similarIdeas(first: 10) { similarity idea { id } } } }`,
      { id: original },
      proposer.token,
    );
    const similar: { similarity: number; idea: { id: string } }[] = result.data!.idea.similarIdeas;
    const ids = similar.map((s) => s.idea.id);
    expect(ids).toContain(duplicate);
    expect(ids).not.toContain(unrelated);
    expect(ids).not.toContain(othersDraft); // someone else's draft stays hidden
    expect(ids).not.toContain(original);
    expect(similar.every((s) => s.similarity > 0 && s.similarity <= 1)).toBe(true);
  });

  it('keeps comments as a connection on ideas, needs and initiatives, and drafts private', async () => {
    const sponsor = await factory.team({ credits: 1_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const proposer = await factory.person();
    const reader = await factory.person();
    const draft = await ideas.propose(proposer, sponsor, 100);
    const comment = (who: typeof reader, subjectType: string, subjectId: string, body: string) =>
      sut.gql(
        `mutation($input: CommentOnInput!) { commentOn(input: $input) { comment { id body author { id } } } }`,
        { input: { subjectType, subjectId, body } },
        who.token,
      );
    expect(codes(await comment(reader, 'IDEA', draft, 'Peeking'))).toEqual(['NOT_FOUND']);
    expectOk(await comment(proposer, 'IDEA', draft, 'Note to self'));

    const initiativeId = await ideas.initiative(proposer, sponsor, lead, [
      { lead, team: sponsor, amount: 300 },
    ]);
    for (let i = 0; i < 3; i++)
      expectOk(await comment(reader, 'INITIATIVE', initiativeId, `Comment ${i}`));
    const page = await sut.gql(
      `query($id: ID!) { initiative(id: $id) { comments(first: 2) { totalCount nodes { body } pageInfo { hasNextPage endCursor } } } }`,
      { id: initiativeId },
      lead.token,
    );
    expect(page.data!.initiative.comments).toMatchObject({
      totalCount: 3,
      nodes: [{ body: 'Comment 0' }, { body: 'Comment 1' }],
      pageInfo: { hasNextPage: true },
    });
    const rest = await sut.gql(
      `query($id: ID!, $after: String) { initiative(id: $id) { comments(first: 2, after: $after) { nodes { body } pageInfo { hasNextPage } } } }`,
      { id: initiativeId, after: page.data!.initiative.comments.pageInfo.endCursor },
      lead.token,
    );
    expect(rest.data!.initiative.comments).toEqual({
      nodes: [{ body: 'Comment 2' }],
      pageInfo: { hasNextPage: false },
    });
    expect(codes(await comment(reader, 'NEED', randomUUID(), 'Nowhere'))).toEqual(['NOT_FOUND']);
  });

  it('replays a pledge with the same idempotency key without moving credits twice', async () => {
    const sponsor = await factory.team({ credits: 1_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const ideaId = await ideas.submitted(await factory.person(), sponsor, 900);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => ideas.pledge(lead, ideaId, sponsor.id, 250, key)),
    );
    expect(new Set(results.map((r) => r.data!.pledgeToIdea.pledge.id)).size).toBe(1);
    expect(await new LedgerProbe(sut.dataSource).teamBalance(sponsor.id)).toBe(750);
  });

  it('tells subscribers when an idea and an initiative change', async () => {
    const sponsor = await factory.team({ credits: 1_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const proposer = await factory.person();
    const watcher = await factory.person();
    const ideaId = await ideas.submitted(proposer, sponsor, 400);
    const ideaSubscriber = subscribe(
      sut.url,
      watcher.token,
      `subscription($id: ID!) { ideaChanged(ideaId: $id) { id pledgedTotal status } }`,
      {
        id: ideaId,
      },
    );
    try {
      await listenerAttached(sut.app.get(PUB_SUB), ideaChangedTopic(ideaId));
      expectOk(await ideas.pledge(lead, ideaId, sponsor.id, 400));
      expect((await ideaSubscriber.next()).data.ideaChanged).toEqual({
        id: ideaId,
        pledgedTotal: 400,
        status: 'FUNDED',
      });
    } finally {
      await ideaSubscriber.close();
    }
    const approved = await ideas.approve(lead, ideaId);
    const initiativeId = approved.data!.approveIdea.initiative.id;
    const initiativeSubscriber = subscribe(
      sut.url,
      watcher.token,
      `subscription($id: ID!) { initiativeChanged(initiativeId: $id) { id memberCount } }`,
      { id: initiativeId },
    );
    try {
      await listenerAttached(sut.app.get(PUB_SUB), initiativeChangedTopic(initiativeId));
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: 2 }) { membership { hoursPerWeek } } }`,
          { id: initiativeId },
          watcher.token,
        ),
      );
      expect((await initiativeSubscriber.next()).data.initiativeChanged).toEqual({
        id: initiativeId,
        memberCount: 2,
      });
    } finally {
      await initiativeSubscriber.close();
    }
    // Someone else's draft cannot be followed.
    const draft = await ideas.propose(proposer, sponsor, 100);
    const peeking = subscribe(
      sut.url,
      watcher.token,
      `subscription($id: ID!) { ideaChanged(ideaId: $id) { id } }`,
      { id: draft },
    );
    try {
      const refusal = await peeking.next();
      expect(
        refusal.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
      ).toEqual(['NOT_FOUND']);
    } finally {
      await peeking.close();
    }
  });
});
