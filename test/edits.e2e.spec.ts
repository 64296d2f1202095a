import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';

/**
 * Issue 15, "Edits with history": the proposer edits an idea, the buyer edits a need; each
 * edit keeps a revision (who, when, what) readable through `revisions`, tells those who
 * committed to the old text, and search sees the new text. Refused edits change nothing.
 */
describe('Edits with history', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;
  let team: TeamEntity;
  let proposer: Person;
  let lead: Person;
  let other: Person;
  /** Of another team: bids on the team's needs. */
  let worker: Person;

  const EDIT_IDEA = `mutation($input: EditIdeaInput!) {
    editIdea(input: $input) { idea { id title problem proposal expectedOutcomes status skillsNeeded { name } pendingSkillNames } }
  }`;
  const IDEA = `query($id: ID!) {
    idea(id: $id) {
      title problem skillsNeeded { name } pendingSkillNames
      revisions(first: 10) { totalCount nodes { at editor { id } changes { field from to } } }
    }
  }`;
  const EDIT_NEED = `mutation($input: EditNeedInput!) {
    editNeed(input: $input) { need { id title description requiredSkills { skill { name } minLevel } } }
  }`;
  const NEED = `query($id: ID!) {
    need(id: $id) {
      title description requiredSkills { skill { name } minLevel }
      revisions(first: 10) { totalCount nodes { editor { id } changes { field from to } } }
    }
  }`;
  const INBOX = `{ notifications(first: 50) { nodes { kind subjectId message } } }`;

  const inbox = async (person: Person) => {
    const result = await sut.gql(INBOX, {}, person.token);
    expectOk(result);
    return result.data!.notifications.nodes as { kind: string; subjectId: string }[];
  };
  const idea = async (id: string, who = proposer) => {
    const result = await sut.gql(IDEA, { id }, who.token);
    expectOk(result);
    return result.data!.idea;
  };
  const need = async (id: string, who = lead) => {
    const result = await sut.gql(NEED, { id }, who.token);
    expectOk(result);
    return result.data!.need;
  };
  const editIdea = (who: Person, input: Record<string, unknown>) =>
    sut.gql(EDIT_IDEA, { input }, who.token);
  const editNeed = (who: Person, input: Record<string, unknown>) =>
    sut.gql(EDIT_NEED, { input }, who.token);

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ideas = new Ideas(sut);
    team = await factory.team({ credits: 100_000 });
    proposer = await factory.person({ team });
    lead = await factory.person({ team, leads: [team] });
    other = await factory.person({ team, weeklyCapacityHours: 40 });
    worker = await factory.person({
      team: await factory.team(),
      weeklyCapacityHours: 40,
    });
  });
  afterAll(() => sut.close());

  describe('ideas', () => {
    it('lets the proposer edit a draft, keeping a revision of who changed what and when', async () => {
      const id = await ideas.propose(proposer, team, 100, 'Hotline for anything');
      const edited = await editIdea(proposer, {
        ideaId: id,
        title: '  Hotline   for everything ',
        problem: 'Callers are turned away.',
        skillsNeeded: ['Telephony', 'Never Heard Of Skill Zq'],
      });
      expectOk(edited);
      expect(edited.data!.editIdea.idea).toMatchObject({
        title: 'Hotline for everything',
        problem: 'Callers are turned away.',
        status: 'DRAFT',
      });
      const seen = await idea(id);
      expect(seen.revisions.totalCount).toBe(1);
      const [revision] = seen.revisions.nodes;
      expect(revision.editor.id).toBe(proposer.employee.id);
      expect(Date.now() - new Date(revision.at).getTime()).toBeLessThan(60_000);
      expect(revision.changes).toEqual([
        { field: 'title', from: 'Hotline for anything', to: 'Hotline for everything' },
        {
          field: 'problem',
          from: 'Something is not as good as it could be.',
          to: 'Callers are turned away.',
        },
        { field: 'skillsNeeded', from: '', to: 'Telephony, Never Heard Of Skill Zq' },
      ]);
      // A draft publishes no skill: a name nobody has used waits on the draft.
      expect(seen.pendingSkillNames).toContain('Never Heard Of Skill Zq');
    });

    it('records nothing for an edit that changes nothing, and the newest revision comes first', async () => {
      const id = await ideas.submitted(proposer, team, 100, 'Same old');
      expectOk(await editIdea(proposer, { ideaId: id, title: 'Same old' }));
      expect((await idea(id)).revisions.totalCount).toBe(0);
      expectOk(await editIdea(proposer, { ideaId: id, title: 'First' }));
      expectOk(await editIdea(proposer, { ideaId: id, title: 'Second' }));
      const { revisions } = await idea(id, other);
      expect(revisions.nodes.map((r: any) => r.changes[0].to)).toEqual(['Second', 'First']);
    });

    it('refuses others, hides drafts from them, and refuses a funded idea: nothing changes', async () => {
      const draft = await ideas.propose(proposer, team, 100, 'Private draft');
      expect(codes(await editIdea(other, { ideaId: draft, title: 'Mine' }))).toEqual(['NOT_FOUND']);
      const submitted = await ideas.submitted(proposer, team, 100, 'Public idea');
      expect(codes(await editIdea(other, { ideaId: submitted, title: 'Mine' }))).toEqual([
        'FORBIDDEN',
      ]);
      expectOk(await ideas.pledge(lead, submitted, team.id, 100));
      expect(codes(await editIdea(proposer, { ideaId: submitted, title: 'Late' }))).toEqual([
        'INVALID_TRANSITION',
      ]);
      expect(codes(await editIdea(proposer, { ideaId: draft, title: '' }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await editIdea(proposer, { ideaId: draft, title: 'x'.repeat(201) }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect((await idea(draft)).title).toBe('Private draft');
      expect((await idea(submitted)).title).toBe('Public idea');
      expect((await idea(draft)).revisions.totalCount).toBe(0);
      expect((await idea(submitted)).revisions.totalCount).toBe(0);
    });

    it('tells the pledgers when a pledged idea is edited', async () => {
      const id = await ideas.submitted(proposer, team, 1000, 'Pledged idea');
      expectOk(await ideas.pledge(lead, id, team.id, 10));
      expectOk(await editIdea(proposer, { ideaId: id, proposal: 'A better proposal.' }));
      const told = (await inbox(lead)).filter((n) => n.subjectId === id);
      expect(told.map((n) => n.kind)).toEqual(['IDEA_EDITED']);
      // Nobody else pledged: the others hear nothing.
      expect((await inbox(other)).filter((n) => n.subjectId === id)).toEqual([]);
    });

    it('is found by its new words in search and similar ideas, and not by the old', async () => {
      const old = `Quokkafrobnicator${Date.now()}`;
      const fresh = `Wombatdefragmenter${Date.now()}`;
      const id = await ideas.submitted(proposer, team, 100, old);
      const twin = await ideas.submitted(other, team, 100, fresh);
      const SEARCH = `query($text: String!) { ideas(filter: { text: $text }) { nodes { id } } }`;
      const found = async (text: string) =>
        ((await sut.gql(SEARCH, { text }, other.token)).data!.ideas.nodes as { id: string }[]).map(
          (n) => n.id,
        );
      const SIMILAR = `query($id: ID!) { idea(id: $id) { similarIdeas { idea { id } } } }`;
      const similarTo = async (ideaId: string) =>
        (
          (await sut.gql(SIMILAR, { id: ideaId }, other.token)).data!.idea.similarIdeas as {
            idea: { id: string };
          }[]
        ).map((s) => s.idea.id);
      expect(await found(old)).toEqual([id]);
      expect(await similarTo(twin)).not.toContain(id);

      expectOk(await editIdea(proposer, { ideaId: id, title: fresh }));
      expect(await found(old)).toEqual([]);
      expect((await found(fresh)).sort()).toEqual([id, twin].sort());
      expect(await similarTo(twin)).toContain(id);
    });
  });

  describe('needs', () => {
    it('lets the buyer edit an open need, keeps a revision and tells the pending bidders', async () => {
      const needId = await market.postNeed(lead, team, {
        title: 'Help with calls',
        requiredSkills: [{ name: 'Telephony', minLevel: 2 }],
      });
      await market.bid(worker, needId, 1, 10);
      const edited = await editNeed(lead, {
        needId,
        title: 'Help with evening calls',
        requiredSkills: [
          { name: 'Telephony', minLevel: 3 },
          { name: 'Patience', minLevel: 1 },
        ],
      });
      expectOk(edited);
      const seen = await need(needId);
      expect(seen.title).toBe('Help with evening calls');
      expect(seen.requiredSkills).toEqual([
        { skill: { name: 'Telephony' }, minLevel: 3 },
        { skill: { name: 'Patience' }, minLevel: 1 },
      ]);
      expect(seen.revisions.nodes).toEqual([
        {
          editor: { id: lead.employee.id },
          changes: [
            { field: 'title', from: 'Help with calls', to: 'Help with evening calls' },
            {
              field: 'requiredSkills',
              from: 'Telephony (2)',
              to: 'Telephony (3), Patience (1)',
            },
          ],
        },
      ]);
      const told = (await inbox(worker)).filter((n) => n.subjectId === needId);
      expect(told.map((n) => n.kind)).toContain('NEED_EDITED');
    });

    it('refuses others, an accepted need and bad input: nothing changes', async () => {
      const needId = await market.postNeed(lead, team, { title: 'Untouched', hoursPerWeek: 4 });
      expect(codes(await editNeed(other, { needId, title: 'Mine' }))).toEqual(['FORBIDDEN']);
      expect(codes(await editNeed(lead, { needId, title: '   ' }))).toEqual(['BAD_USER_INPUT']);
      expect(
        codes(
          await editNeed(lead, {
            needId,
            requiredSkills: [
              { name: 'Dup', minLevel: 1 },
              { name: 'dup', minLevel: 2 },
            ],
          }),
        ),
      ).toEqual(['BAD_USER_INPUT']);
      await market.engage(lead, await market.bid(worker, needId, 1, 10));
      expect(codes(await editNeed(lead, { needId, title: 'Too late' }))).toEqual([
        'INVALID_TRANSITION',
      ]);
      const seen = await need(needId);
      expect(seen.title).toBe('Untouched');
      expect(seen.revisions.totalCount).toBe(0);
    });

    it('races an edit against an acceptance: exactly one wins, the other sees it', async () => {
      for (let round = 0; round < 5; round++) {
        const needId = await market.postNeed(lead, team, { title: 'Racing', hoursPerWeek: 4 });
        const bidId = await market.bid(worker, needId, 1, 10);
        const [edit, accept] = await Promise.all([
          editNeed(lead, { needId, title: `Edited ${round}` }),
          market.accept(lead, bidId),
        ]);
        expect(codes(accept)).toEqual([]);
        const seen = await need(needId);
        if (codes(edit).length === 0) {
          // The edit came first: its revision stands, and the acceptance followed it.
          expect(seen.title).toBe(`Edited ${round}`);
          expect(seen.revisions.totalCount).toBe(1);
        } else {
          expect(codes(edit)).toEqual(['INVALID_TRANSITION']);
          expect(seen.title).toBe('Racing');
          expect(seen.revisions.totalCount).toBe(0);
        }
      }
    });
  });
  describe('comments', () => {
    const COMMENT_ON = `mutation($id: ID!, $body: String!) {
      commentOn(input: { subjectType: NEED, subjectId: $id, body: $body }) { comment { id } }
    }`;
    const EDIT = `mutation($input: EditCommentInput!) { editComment(input: $input) { comment { body editedAt } } }`;
    const DELETE = `mutation($id: ID!) { deleteComment(input: { commentId: $id }) { comment { body deletedAt } } }`;
    const HIDE = `mutation($id: ID!, $reason: String!) {
      hideComment(input: { commentId: $id, reason: $reason }) { comment { body hiddenAt hiddenReason } }
    }`;
    const THREAD = `query($id: ID!) {
      need(id: $id) { comments(first: 10) { nodes { id body editedAt deletedAt hiddenAt hiddenReason
        revisions(first: 5) { totalCount nodes { editor { id } changes { field from to } } } } } }
    }`;
    const thread = async (needId: string, who: Person) => {
      const result = await sut.gql(THREAD, { id: needId }, who.token);
      expectOk(result);
      return result.data!.need.comments.nodes[0];
    };
    const comment = async (body: string) => {
      const needId = await market.postNeed(lead, team, { title: 'Discussed' });
      const result = await sut.gql(COMMENT_ON, { id: needId, body }, other.token);
      expectOk(result);
      return { needId, commentId: result.data!.commentOn.comment.id as string };
    };

    it('lets its author edit a comment, shown as edited with a revision', async () => {
      const { needId, commentId } = await comment('First thought');
      expect(
        codes(await sut.gql(EDIT, { input: { commentId, body: 'Hijack' } }, lead.token)),
      ).toEqual(['FORBIDDEN']);
      expect(codes(await sut.gql(EDIT, { input: { commentId, body: ' ' } }, other.token))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expectOk(await sut.gql(EDIT, { input: { commentId, body: 'Second thought' } }, other.token));
      const seen = await thread(needId, lead);
      expect(seen.body).toBe('Second thought');
      expect(seen.editedAt).not.toBeNull();
      expect(seen.revisions.nodes).toEqual([
        {
          editor: { id: other.employee.id },
          changes: [{ field: 'body', from: 'First thought', to: 'Second thought' }],
        },
      ]);
    });

    it('shows a deleted comment as deleted, with no body, and edits it no more', async () => {
      const { needId, commentId } = await comment('Regrettable');
      expect(codes(await sut.gql(DELETE, { id: commentId }, lead.token))).toEqual(['FORBIDDEN']);
      expectOk(await sut.gql(DELETE, { id: commentId }, other.token));
      const seen = await thread(needId, other);
      expect(seen).toMatchObject({ body: '', revisions: { totalCount: 0 } });
      expect(seen.deletedAt).not.toBeNull();
      expect(
        codes(await sut.gql(EDIT, { input: { commentId, body: 'Back' } }, other.token)),
      ).toEqual(['INVALID_TRANSITION']);
    });

    it('lets an admin hide a comment with a reason: its body shows to admins only', async () => {
      const admin = await factory.person({ isAdmin: true });
      const { needId, commentId } = await comment('Rude words');
      expect(codes(await sut.gql(HIDE, { id: commentId, reason: 'Rude' }, lead.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect((await thread(needId, lead)).body).toBe('Rude words');
      expectOk(await sut.gql(HIDE, { id: commentId, reason: 'Rude' }, admin.token));
      expect(await thread(needId, lead)).toMatchObject({ body: '', hiddenReason: 'Rude' });
      expect(await thread(needId, admin)).toMatchObject({
        body: 'Rude words',
        hiddenReason: 'Rude',
      });
      expect(codes(await sut.gql(HIDE, { id: commentId, reason: 'Again' }, admin.token))).toEqual([
        'INVALID_TRANSITION',
      ]);
    });
  });

  describe('milestones and outcome metrics', () => {
    const EDIT_MILESTONE = `mutation($input: EditMilestoneInput!) {
      editMilestone(input: $input) { milestone { id title dueDate } }
    }`;
    const EDIT_METRIC = `mutation($input: EditOutcomeMetricInput!) {
      editOutcomeMetric(input: $input) { metric { id name target direction } }
    }`;
    const PLAN = `query($id: ID!) {
      initiative(id: $id) {
        milestones { id title dueDate revisions(first: 5) { nodes { editor { id } changes { field from to } } } }
        metrics { id name target progressPercent revisions(first: 5) { nodes { editor { id } changes { field from to } } } }
      }
    }`;

    it("reads every milestone's revisions in as many statements, however many milestones there are", async () => {
      const { team: funder, lead: funderLead } = await market.buyer(50_000);
      const initiativeId = await ideas.initiative(proposer, team, lead, [
        { lead: funderLead, team: funder, amount: 1_000 },
      ]);
      const statements = async () => {
        const response = await fetch(`${sut.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${proposer.token}`,
          },
          body: JSON.stringify({ query: PLAN, variables: { id: initiativeId } }),
        });
        const body = (await response.json()) as { data: any; errors?: unknown };
        expect(body.errors).toBeUndefined();
        return {
          count: Number(response.headers.get(STATEMENT_COUNT_HEADER)),
          revisions: body.data.initiative.milestones.map((m: any) => m.revisions.nodes.length),
        };
      };
      const addEditedMilestone = async (title: string) => {
        const added = await sut.gql(
          `mutation($id: ID!, $title: String!) { addMilestone(input: { initiativeId: $id, title: $title, dueDate: "2027-01-15" }) { milestone { id } } }`,
          { id: initiativeId, title },
          proposer.token,
        );
        expectOk(added);
        const milestoneId = added.data!.addMilestone.milestone.id as string;
        expectOk(
          await sut.gql(
            EDIT_MILESTONE,
            { input: { milestoneId, title: `${title}!` } },
            proposer.token,
          ),
        );
      };
      await addEditedMilestone('One');
      const one = await statements();
      for (const title of ['Two', 'Three', 'Four']) await addEditedMilestone(title);
      const four = await statements();
      expect(one.revisions).toEqual([1]);
      expect(four.revisions).toEqual([1, 1, 1, 1]);
      expect(four.count).toBe(one.count);
    });

    it('lets the owner edit them while ACTIVE, keeps each change, and refuses anyone else', async () => {
      const { team: funder, lead: funderLead } = await market.buyer(50_000);
      const initiativeId = await ideas.initiative(proposer, team, lead, [
        { lead: funderLead, team: funder, amount: 1_000 },
      ]);
      const milestone = await sut.gql(
        `mutation($id: ID!) { addMilestone(input: { initiativeId: $id, title: "Pilot", dueDate: "2027-01-15" }) { milestone { id } } }`,
        { id: initiativeId },
        proposer.token,
      );
      expectOk(milestone);
      const milestoneId = milestone.data!.addMilestone.milestone.id as string;
      const metric = await sut.gql(
        `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Calls", unit: "calls", baseline: 0, target: 100, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
        { id: initiativeId },
        proposer.token,
      );
      expectOk(metric);
      const metricId = metric.data!.defineOutcomeMetric.metric.id as string;
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { recordMeasurement(input: { metricId: $id, value: 50 }) { measurement { id } } }`,
          { id: metricId },
          proposer.token,
        ),
      );

      // Someone else, bad input: refused, nothing changes.
      const notOwner = await sut.gql(
        EDIT_MILESTONE,
        { input: { milestoneId, title: 'Mine now' } },
        lead.token,
      );
      expect(codes(notOwner)).toEqual(['FORBIDDEN']);
      const backwards = await sut.gql(
        EDIT_METRIC,
        { input: { metricId, target: -10 } },
        proposer.token,
      );
      expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);

      expectOk(
        await sut.gql(
          EDIT_MILESTONE,
          { input: { milestoneId, title: 'Pilot in two stores', dueDate: '2027-02-01' } },
          proposer.token,
        ),
      );
      // A new target changes progress (50 of 0 → 100 was 50 %; of 0 → 200 it is 25 %).
      expectOk(await sut.gql(EDIT_METRIC, { input: { metricId, target: 200 } }, proposer.token));
      // The same values again: nothing changes, no revision.
      expectOk(await sut.gql(EDIT_METRIC, { input: { metricId, target: 200 } }, proposer.token));
      const plan = await sut.gql(PLAN, { id: initiativeId }, proposer.token);
      expectOk(plan);
      const [editedMilestone] = plan.data!.initiative.milestones;
      expect(editedMilestone).toMatchObject({
        title: 'Pilot in two stores',
        dueDate: '2027-02-01',
      });
      expect(editedMilestone.revisions.nodes).toEqual([
        {
          editor: { id: proposer.employee.id },
          changes: expect.arrayContaining([
            { field: 'title', from: 'Pilot', to: 'Pilot in two stores' },
            { field: 'dueDate', from: '2027-01-15', to: '2027-02-01' },
          ]),
        },
      ]);
      const [editedMetric] = plan.data!.initiative.metrics;
      expect(editedMetric).toMatchObject({ target: 200, progressPercent: 25 });
      expect(editedMetric.revisions.nodes).toEqual([
        {
          editor: { id: proposer.employee.id },
          changes: [{ field: 'target', from: '100', to: '200' }],
        },
      ]);

      // Once the initiative has ended, its plan is history: INVALID_TRANSITION.
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { cancelInitiative(input: { initiativeId: $id }) { initiative { id } } }`,
          { id: initiativeId },
          lead.token,
        ),
      );
      const late = await sut.gql(
        EDIT_MILESTONE,
        { input: { milestoneId, title: 'Too late' } },
        proposer.token,
      );
      expect(codes(late)).toEqual(['INVALID_TRANSITION']);
    });
  });
});
