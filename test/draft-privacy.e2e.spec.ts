import { randomUUID } from 'node:crypto';
import { SummaryRefreshService } from '../src/modules/dashboard/summary-refresh.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk } from './support/market.js';
import { subscribe } from './support/subscriptions.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const SORTS = ['NEWEST', 'MOST_ENDORSED', 'MOST_FUNDED'];
const STATUSES = [undefined, 'DRAFT', 'SUBMITTED', 'WITHDRAWN'];

describe('Drafts stay private', () => {
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    ideas = new Ideas(sut);
  });
  afterAll(() => sut.close());

  /** Refreshes the market views, waiting out a refresh another test file may be running. */
  async function refreshSummaries(): Promise<void> {
    const refresher = sut.app.get(SummaryRefreshService);
    while (!(await refresher.refresh())) await new Promise((resolve) => setImmediate(resolve));
  }

  const propose = async (
    proposer: Person,
    sponsor: TeamEntity,
    title: string,
    skillsNeeded: string[] = [],
  ): Promise<string> => {
    const result = await sut.gql(
      `mutation($input: ProposeIdeaInput!) { proposeIdea(input: $input) { idea { id } } }`,
      {
        input: {
          title,
          problem: `The problem of ${title}`,
          proposal: `The proposal of ${title}`,
          sponsorTeamId: sponsor.id,
          fundingGoal: 100,
          skillsNeeded,
        },
      },
      proposer.token,
    );
    expectOk(result);
    return result.data!.proposeIdea.idea.id;
  };
  const submit = async (proposer: Person, ideaId: string) =>
    sut.gql(
      `mutation($id: ID!) { submitIdea(input: { ideaId: $id }) { idea { status skillsNeeded { name } pendingSkillNames } } }`,
      { id: ideaId },
      proposer.token,
    );

  describe('a draft withdrawn before submission', () => {
    let sponsor: TeamEntity;
    let proposer: Person;
    let others: Person[];
    let secret: string;
    let title: string;
    let lookalike: string;

    beforeAll(async () => {
      sponsor = await factory.team({ credits: 1_000 });
      proposer = await factory.person();
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      others = [await factory.person(), lead, await factory.admin()];
      title = `Secret plan ${randomUUID().slice(0, 8)}`;
      secret = await propose(proposer, sponsor, title);
      expectOk(await ideas.withdraw(proposer, secret));
      lookalike = await ideas.submitted(await factory.person(), sponsor, 100, title);
    });

    it('is seen by nobody but its proposer, by id or in any list', async () => {
      for (const who of others) {
        expect(
          codes(
            await sut.gql(`query($id: ID!) { idea(id: $id) { title } }`, { id: secret }, who.token),
          ),
        ).toEqual(['NOT_FOUND']);
        for (const status of STATUSES) {
          for (const sort of SORTS) {
            const listed = await sut.gql(
              `query($filter: IdeaFilter, $sort: IdeaSort!, $other: ID!) {
                 team: ideas(filter: $filter, sort: $sort, first: 100) { totalCount nodes { id } edges { node { id } } }
                 text: ideas(filter: { text: "${title}" }, sort: $sort, first: 100) { totalCount nodes { id } }
                 mine: ideas(filter: { proposerId: "${proposer.employee.id}" }, sort: $sort) { totalCount nodes { id } }
                 other: idea(id: $other) { similarIdeas(first: 20) { idea { id } } }
               }`,
              { filter: { sponsorTeamId: sponsor.id, status }, sort, other: lookalike },
              who.token,
            );
            expect(codes(listed)).toEqual([]);
            expect(JSON.stringify(listed.data)).not.toContain(secret);
            expect(listed.data!.mine.totalCount).toBe(0);
          }
        }
      }
      const own = await sut.gql(
        `query($id: ID!) { idea(id: $id) { title status } ideas(filter: { status: WITHDRAWN, sponsorTeamId: "${sponsor.id}" }) { nodes { id } } }`,
        { id: secret },
        proposer.token,
      );
      expect(own.data).toEqual({
        idea: { title, status: 'WITHDRAWN' },
        ideas: { nodes: [{ id: secret }] },
      });
    });

    it('takes no comments, endorsements, pledges or decisions from anyone else', async () => {
      const [outsider, lead] = others;
      const attempts: [string, Person][] = [
        [
          `mutation($id: ID!) { commentOn(input: { subjectType: IDEA, subjectId: $id, body: "?" }) { comment { id } } }`,
          outsider,
        ],
        [`mutation($id: ID!) { endorseIdea(input: { ideaId: $id }) { idea { id } } }`, outsider],
        [
          `mutation($id: ID!, $team: ID!) { pledgeToIdea(input: { ideaId: $id, teamId: $team, amount: 1 }) { idea { id } } }`,
          lead,
        ],
        [
          `mutation($id: ID!) { rejectIdea(input: { ideaId: $id, reason: "?" }) { idea { id } } }`,
          lead,
        ],
        [`mutation($id: ID!) { approveIdea(input: { ideaId: $id }) { idea { id } } }`, lead],
      ];
      for (const [mutation, who] of attempts) {
        const result = await sut.gql(mutation, { id: secret, team: sponsor.id }, who.token);
        expect(codes(result)).toEqual(['NOT_FOUND']);
        expect(JSON.stringify(result)).not.toContain(title);
      }
    });

    it('cannot be followed by anyone else', async () => {
      const peeking = subscribe(
        sut.url,
        others[0].token,
        `subscription($id: ID!) { ideaChanged(ideaId: $id) { id title } }`,
        { id: secret },
      );
      try {
        const refusal = await peeking.next();
        expect(refusal.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
      } finally {
        await peeking.close();
      }
    });

    it('is counted by no dashboard', async () => {
      const funnel = await sut.gql(
        `query($team: ID!) { ideaFunnel(filter: { sponsorTeamId: $team }) { steps { stage reached } withdrawn } }`,
        { team: sponsor.id },
        others[0].token,
      );
      expect(funnel.data!.ideaFunnel).toEqual({
        steps: [
          { stage: 'PROPOSED', reached: 1 },
          { stage: 'SUBMITTED', reached: 1 },
          { stage: 'FUNDED', reached: 0 },
          { stage: 'APPROVED', reached: 0 },
        ],
        withdrawn: 0,
      });
    });
  });

  describe('a draft’s skills', () => {
    const known = `Known skill ${randomUUID().slice(0, 8)}`;
    const fresh = `Fresh skill ${randomUUID().slice(0, 8)}`;
    let sponsor: TeamEntity;
    let proposer: Person;
    let reader: Person;

    beforeAll(async () => {
      sponsor = await factory.team();
      proposer = await factory.person();
      reader = await factory.person({ skills: [{ name: known, level: 3 }] });
    });

    /** Everywhere a skill can be found by name, as someone else sees it. */
    async function skillSeen(name: string): Promise<string[]> {
      await refreshSummaries();
      const result = await sut.gql(
        `query($name: String!) {
           skills(filter: { name: $name }) { totalCount nodes { name } }
           marketStats(filter: { skill: $name }) { skills { skill { name } } }
         }`,
        { name },
        reader.token,
      );
      expect(codes(result)).toEqual([]);
      return [
        ...result.data!.skills.nodes.map((s: any) => `skills:${s.name}`),
        ...result.data!.marketStats.skills.map((s: any) => `marketStats:${s.skill.name}`),
      ];
    }

    it('creates a name nobody has used only when the draft is submitted', async () => {
      const draft = await propose(proposer, sponsor, 'Needs skills', [known, fresh]);
      expect(await skillSeen(fresh)).toEqual([]);
      expect(await skillSeen(known)).toEqual([`skills:${known}`, `marketStats:${known}`]);

      // Its proposer sees both: the known skill linked already, the new name waiting.
      const own = await sut.gql(
        `query($id: ID!) { idea(id: $id) { skillsNeeded { name } pendingSkillNames } }`,
        { id: draft },
        proposer.token,
      );
      expect(own.data!.idea).toEqual({
        skillsNeeded: [{ name: known }],
        pendingSkillNames: [fresh],
      });

      const submitted = await submit(proposer, draft);
      expectOk(submitted);
      expect(submitted.data!.submitIdea.idea).toEqual({
        status: 'SUBMITTED',
        skillsNeeded: [{ name: fresh }, { name: known }],
        pendingSkillNames: [],
      });
      expect(await skillSeen(fresh)).toEqual([`skills:${fresh}`, `marketStats:${fresh}`]);
    });

    it('never creates the new names of a draft withdrawn unsubmitted', async () => {
      const name = `Abandoned skill ${randomUUID().slice(0, 8)}`;
      const draft = await propose(proposer, sponsor, 'Never mind', [name]);
      expectOk(await ideas.withdraw(proposer, draft));
      expect(await skillSeen(name)).toEqual([]);
    });

    it('links a name someone else created meanwhile, spelled as they spelled it', async () => {
      const name = `Shared skill ${randomUUID().slice(0, 8)}`;
      const draft = await propose(proposer, sponsor, 'Meanwhile', [name.toUpperCase()]);
      await factory.person({ skills: [{ name, level: 2 }] });
      const submitted = await submit(proposer, draft);
      expectOk(submitted);
      expect(submitted.data!.submitIdea.idea.skillsNeeded).toEqual([{ name }]);
    });
  });

  it('counts no drafts in the idea funnel', async () => {
    const sponsor = await factory.team();
    const proposer = await factory.person();
    await propose(proposer, sponsor, 'Draft only');
    await ideas.submitted(proposer, sponsor, 100);
    const funnel = await sut.gql(
      `query($team: ID!) { ideaFunnel(filter: { sponsorTeamId: $team }) { steps { stage reached conversionPercent } withdrawn } }`,
      { team: sponsor.id },
      proposer.token,
    );
    expect(funnel.data!.ideaFunnel.steps.slice(0, 2)).toEqual([
      { stage: 'PROPOSED', reached: 1, conversionPercent: null },
      { stage: 'SUBMITTED', reached: 1, conversionPercent: 100 },
    ]);
  });
});
