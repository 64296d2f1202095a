import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock/clock.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { ACCEPT_DISPUTE, expectOk, Market } from './support/market.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const DAY = 24 * 60 * 60 * 1000;

describe('From idea to initiative', () => {
  let sut: TestApp;
  let factory: Factory;
  let probe: LedgerProbe;
  let ideas: Ideas;
  let market: Market;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    probe = new LedgerProbe(sut.dataSource);
    ideas = new Ideas(sut);
    market = new Market(sut, factory);
  });
  afterAll(() => sut.close());

  it('tells the whole story, from proposal to completion with refunds, keeping the books exact', async () => {
    const loyalty = await factory.team({ credits: 10_000 });
    const tech = await factory.team({ credits: 10_000 });
    const fulfillment = await factory.team();
    const merchandising = await factory.team();
    const maya = await factory.person({ team: loyalty, leads: [loyalty] });
    const tom = await factory.person({ team: tech, leads: [tech] });
    const sam = await factory.person({ team: loyalty, weeklyCapacityHours: 8 });
    const ana = await factory.person({ team: fulfillment });
    const lena = await factory.person({ team: merchandising });
    const colleague = await factory.person();
    const books = async () => ({
      loyalty: await probe.teamBalance(loyalty.id),
      tech: await probe.teamBalance(tech.id),
      sum: await probe.sumOfBalances(),
    });

    // A Customer Loyalty agent proposes opening the hotline to any topic: a draft only he sees.
    const propose = await sut.gql(
      `mutation($input: ProposeIdeaInput!) { proposeIdea(input: $input) { idea { id status } } }`,
      {
        input: {
          title: 'Customer Service for Anything',
          problem:
            'Customers only call us about orders, and we miss the chance to help with everything else.',
          proposal: 'Open the hotline to any topic: movie times, pizza orders, whatever helps.',
          expectedOutcomes: 'More calls, longer conversations, happier customers.',
          sponsorTeamId: loyalty.id,
          fundingGoal: 3_000,
          skillsNeeded: ['Phone Support'],
          hoursPerWeekNeeded: 12,
        },
      },
      sam.token,
    );
    const ideaId: string = propose.data!.proposeIdea.idea.id;
    expect(propose.data!.proposeIdea.idea.status).toBe('DRAFT');
    expect(
      codes(
        await sut.gql(`query($id: ID!) { idea(id: $id) { id } }`, { id: ideaId }, colleague.token),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(codes(await ideas.pledge(maya, ideaId, loyalty.id, 100))).toEqual(['NOT_FOUND']);

    expectOk(
      await sut.gql(
        `mutation($id: ID!) { submitIdea(input: { ideaId: $id }) { idea { id } } }`,
        { id: ideaId },
        sam.token,
      ),
    );
    const endorse = `mutation($id: ID!) { endorseIdea(input: { ideaId: $id }) { idea { endorsementCount } } }`;
    expect(codes(await sut.gql(endorse, { id: ideaId }, sam.token))).toEqual(['FORBIDDEN']);
    expect(
      (await sut.gql(endorse, { id: ideaId }, colleague.token)).data!.endorseIdea.idea
        .endorsementCount,
    ).toBe(1);
    expect(
      (await sut.gql(endorse, { id: ideaId }, colleague.token)).data!.endorseIdea.idea
        .endorsementCount,
    ).toBe(1);

    // Two team leads fund it; reaching the goal makes it FUNDED.
    const first = await ideas.pledge(maya, ideaId, loyalty.id, 2_000);
    expect(first.data!.pledgeToIdea).toMatchObject({
      idea: { status: 'SUBMITTED', pledgedTotal: 2_000, fundedPercent: 66.7 },
      transfer: { amount: 2_000, kind: 'PLEDGE' },
    });
    expect(await books()).toEqual({ loyalty: 8_000, tech: 10_000, sum: 0 });
    const second = await ideas.pledge(tom, ideaId, tech.id, 1_000);
    expect(second.data!.pledgeToIdea.idea).toMatchObject({
      status: 'FUNDED',
      pledgedTotal: 3_000,
      fundedPercent: 100,
    });
    expect(await books()).toEqual({ loyalty: 8_000, tech: 9_000, sum: 0 });

    // The sponsor lead approves it: the escrow becomes the initiative's budget, owned by the proposer.
    const approved = await ideas.approve(maya, ideaId);
    expect(approved.data!.approveIdea).toMatchObject({
      idea: { status: 'APPROVED' },
      initiative: {
        status: 'ACTIVE',
        budget: 3_000,
        balance: 3_000,
        owner: { id: sam.employee.id },
      },
    });
    const initiativeId: string = approved.data!.approveIdea.initiative.id;
    expect(await books()).toEqual({ loyalty: 8_000, tech: 9_000, sum: 0 });
    const [escrow] = await sut.dataSource.query(
      `SELECT a.balance::int FROM idea i JOIN account a ON a.id = i.escrow_account_id WHERE i.id = $1`,
      [ideaId],
    );
    expect(escrow.balance).toBe(0);

    // Agents from three teams join with a few hours; they count against capacity.
    const join = `mutation($id: ID!, $hours: Int!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: $hours }) { membership { hoursPerWeek } } }`;
    for (const [person, hours] of [
      [sam, 4],
      [ana, 3],
      [lena, 2],
    ] as [Person, number][]) {
      expectOk(await sut.gql(join, { id: initiativeId, hours }, person.token));
    }
    expect(codes(await sut.gql(join, { id: initiativeId, hours: 9 }, sam.token))).toEqual([
      'CAPACITY_EXCEEDED',
    ]);

    // Milestones and outcome metrics, with measurements. A milestone is completed by the owner
    // or the member it is assigned to.
    const milestone = async (title: string, by: Person, assigneeId?: string) =>
      (
        await sut.gql(
          `mutation($id: ID!, $title: String!, $assignee: ID) { addMilestone(input: { initiativeId: $id, title: $title, assigneeId: $assignee }) { milestone { id } } }`,
          { id: initiativeId, title, assignee: assigneeId },
          by.token,
        )
      ).data!.addMilestone.milestone.id as string;
    const pilot = await milestone('Pilot with five agents', sam, lena.employee.id);
    const openToAll = await milestone('Open to all callers', ana);
    expect(
      codes(
        await sut.gql(
          `mutation($id: ID!) { completeMilestone(input: { milestoneId: $id }) { milestone { completedAt } } }`,
          { id: openToAll },
          lena.token,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expectOk(
      await sut.gql(
        `mutation($id: ID!) { completeMilestone(input: { milestoneId: $id }) { milestone { completedAt } } }`,
        { id: pilot },
        lena.token,
      ),
    );
    const define = `mutation($input: DefineOutcomeMetricInput!) { defineOutcomeMetric(input: $input) { metric { id } } }`;
    const calls = (
      await sut.gql(
        define,
        {
          input: {
            initiativeId,
            name: 'Calls taken',
            unit: 'calls/week',
            baseline: 100,
            target: 500,
            direction: 'HIGHER_IS_BETTER',
          },
        },
        sam.token,
      )
    ).data!.defineOutcomeMetric.metric.id;
    const minutes = (
      await sut.gql(
        define,
        {
          input: {
            initiativeId,
            name: 'Average minutes per call',
            unit: 'minutes',
            baseline: 12,
            target: 9,
            direction: 'LOWER_IS_BETTER',
          },
        },
        sam.token,
      )
    ).data!.defineOutcomeMetric.metric.id;
    // The owner hands "Calls taken" to Ana: she and the owner record it, nobody else.
    expectOk(
      await sut.gql(
        `mutation($input: SetMetricReporterInput!) { setMetricReporter(input: $input) { metric { id } } }`,
        { input: { metricId: calls, reporterId: ana.employee.id } },
        sam.token,
      ),
    );
    // A month on (the service's clock moved, no sleeping), readings of the first and second week.
    const clock = jest.spyOn(sut.app.get(Clock), 'now');
    const started = Date.now();
    clock.mockImplementation(() => new Date(started + 30 * DAY));
    const week = (n: number) => new Date(started + (7 * n + 1) * DAY).toISOString();
    const record = `mutation($id: ID!, $value: Float!, $at: DateTime) { recordMeasurement(input: { metricId: $id, value: $value, at: $at }) { measurement { value } } }`;
    expectOk(await sut.gql(record, { id: calls, value: 180, at: week(0) }, ana.token));
    expect(
      codes(await sut.gql(record, { id: calls, value: 300, at: week(1) }, lena.token)),
    ).toEqual(['FORBIDDEN']);
    expectOk(await sut.gql(record, { id: calls, value: 300, at: week(1) }, ana.token));
    expectOk(await sut.gql(record, { id: minutes, value: 10.5, at: week(1) }, sam.token));
    clock.mockRestore();

    // The initiative buys help on the market with its own budget, its owner acting as buyer.
    const helper = await factory.person();
    const post = await sut.gql(
      `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "Call scripts for odd questions", hoursPerWeek: 4, weeks: 1, ratePerHour: 25 }) { need { id buyer { ... on Initiative { id } } } } }`,
      { id: initiativeId },
      sam.token,
    );
    expect(post.data!.postNeed.need.buyer).toEqual({ id: initiativeId });
    const needId = post.data!.postNeed.need.id;
    const engagementId = await market.engage(sam, await market.bid(helper, needId, 4, 25)); // 100 into escrow
    expectOk(await market.logTime(helper, engagementId, 3));
    // The owner, acting as buyer, approves the week: 75 paid to the helper's team.
    expect(await market.approveWeek(sam, engagementId)).toBe(75);
    expect(await probe.sumOfBalances()).toBe(0);

    const view = await sut.gql(
      `query($id: ID!) { initiative(id: $id) {
        status budget balance spent outcomeScore memberCount hoursCommittedPerWeek milestoneProgressPercent
        idea { id } funders { amount team { id } }
        members { hoursPerWeek employee { id } }
        metrics { name latestValue progressPercent measurements { nodes { value } } }
        needs { nodes { id escrowBalance } }
      } }`,
      { id: initiativeId },
      colleague.token,
    );
    expect(view.errors).toBeUndefined();
    expect(view.data!.initiative).toMatchObject({
      status: 'ACTIVE',
      budget: 3_000,
      balance: 2_900,
      spent: 100, // put into the need's escrow: 75 paid out, 25 still held
      outcomeScore: 50, // the mean of 50 % (calls) and 50 % (minutes per call)
      memberCount: 3,
      hoursCommittedPerWeek: 9,
      milestoneProgressPercent: 50,
      idea: { id: ideaId },
      funders: [
        { amount: 2_000, team: { id: loyalty.id } },
        { amount: 1_000, team: { id: tech.id } },
      ],
      metrics: [
        {
          name: 'Calls taken',
          latestValue: 300,
          progressPercent: 50,
          measurements: { nodes: [{ value: 180 }, { value: 300 }] },
        },
        {
          name: 'Average minutes per call',
          latestValue: 10.5,
          progressPercent: 50,
          measurements: { nodes: [{ value: 10.5 }] },
        },
      ],
      needs: { nodes: [{ id: needId, escrowBalance: 25 }] },
    });

    // Completion: the need closes (25 back from escrow), members' hours are freed, and the
    // 2 925 left go back 2:1 to the funders: 1 950 and 975.
    const done = await sut.gql(
      `mutation($id: ID!) { completeInitiative(input: { initiativeId: $id, note: "Calls doubled" }) {
        initiative { status balance spent memberCount } refunds { amount kind to { team { id } } } } }`,
      { id: initiativeId },
      sam.token,
    );
    expect(done.data!.completeInitiative).toEqual({
      initiative: { status: 'COMPLETED', balance: 0, spent: 75, memberCount: 0 },
      refunds: [
        { amount: 1_950, kind: 'INITIATIVE_REFUND', to: { team: { id: loyalty.id } } },
        { amount: 975, kind: 'INITIATIVE_REFUND', to: { team: { id: tech.id } } },
      ],
    });
    expect(await books()).toEqual({ loyalty: 9_950, tech: 9_975, sum: 0 });
    const freed = await sut.dataSource.query(
      `SELECT committed_hours_per_week AS committed FROM employee WHERE id = ANY($1) ORDER BY committed`,
      [[sam.employee.id, ana.employee.id, lena.employee.id, helper.employee.id]],
    );
    expect(freed.map((r: { committed: number }) => r.committed)).toEqual([0, 0, 0, 0]);
    const [need] = await sut.dataSource.query(`SELECT status FROM need WHERE id = $1`, [needId]);
    expect(need.status).toBe('CLOSED');
    expect(await probe.accountsOutOfBalance()).toEqual([]);
  });

  describe('forbidden moves change nothing', () => {
    it('refuses the proposer approving, a member pledging, pledges past the goal and approving unfunded ideas', async () => {
      const sponsor = await factory.team({ credits: 5_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const member = await factory.person({ team: sponsor });
      const proposerLead = await factory.person({ team: sponsor, leads: [sponsor] });
      const ideaId = await ideas.submitted(proposerLead, sponsor, 1_000);
      const state = async () => {
        const [row] = await sut.dataSource.query(
          `SELECT i.status, i.pledged_total::int AS pledged, a.balance::int AS escrow,
                  (SELECT count(*)::int FROM event WHERE subject_id = i.id) AS events
             FROM idea i JOIN account a ON a.id = i.escrow_account_id WHERE i.id = $1`,
          [ideaId],
        );
        return { ...row, team: await probe.teamBalance(sponsor.id) };
      };

      let before = await state();
      expect(codes(await ideas.approve(lead, ideaId))).toEqual(['INVALID_TRANSITION']);
      expect(codes(await ideas.pledge(member, ideaId, sponsor.id, 100))).toEqual(['FORBIDDEN']);
      expect((await ideas.pledge(lead, ideaId, sponsor.id, 1_001)).errors![0].extensions).toEqual({
        code: 'CONFLICT',
        field: 'input.amount',
      });
      expect(await state()).toEqual(before);

      expectOk(await ideas.pledge(lead, ideaId, sponsor.id, 1_000));
      before = await state();
      expect(codes(await ideas.pledge(lead, ideaId, sponsor.id, 1))).toEqual(['CONFLICT']);
      expect(codes(await ideas.approve(proposerLead, ideaId))).toEqual(['FORBIDDEN']);
      expect(codes(await ideas.approve(member, ideaId))).toEqual(['FORBIDDEN']);
      expect(await state()).toEqual(before);
      expectOk(await ideas.approve(lead, ideaId));
    });

    it('refuses measurements by non-members and joining past capacity', async () => {
      const sponsor = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const owner = await factory.person();
      const initiativeId = await ideas.initiative(owner, sponsor, lead, [
        { lead, team: sponsor, amount: 500 },
      ]);
      const metric = await sut.gql(
        `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Satisfaction", baseline: 4.1, target: 4.6, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
        { id: initiativeId },
        owner.token,
      );
      const metricId = metric.data!.defineOutcomeMetric.metric.id;
      const outsider = await factory.person({ weeklyCapacityHours: 4 });
      const count = async () =>
        (
          await sut.dataSource.query(
            `SELECT count(*)::int AS n FROM measurement WHERE metric_id = $1`,
            [metricId],
          )
        )[0].n;
      expect(
        codes(
          await sut.gql(
            `mutation($id: ID!) { recordMeasurement(input: { metricId: $id, value: 4.3 }) { measurement { id } } }`,
            { id: metricId },
            outsider.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      expect(await count()).toBe(0);
      const join = await sut.gql(
        `mutation($id: ID!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: 5 }) { membership { hoursPerWeek } } }`,
        { id: initiativeId },
        outsider.token,
      );
      expect(codes(join)).toEqual(['CAPACITY_EXCEEDED']);
      const [row] = await sut.dataSource.query(
        `SELECT committed_hours_per_week AS committed,
                (SELECT count(*)::int FROM initiative_member WHERE employee_id = e.id) AS memberships
           FROM employee e WHERE id = $1`,
        [outsider.employee.id],
      );
      expect(row).toEqual({ committed: 0, memberships: 0 });
      // A metric whose target points the wrong way is refused too.
      const wrongWay = await sut.gql(
        `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Wait", baseline: 5, target: 9, direction: LOWER_IS_BETTER }) { metric { id } } }`,
        { id: initiativeId },
        owner.token,
      );
      expect(wrongWay.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.target',
      });
    });

    it('refunds every pledge exactly on rejection and on withdrawal', async () => {
      const sponsor = await factory.team({ credits: 1_000 });
      const other = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const otherLead = await factory.person({ team: other, leads: [other] });
      const proposer = await factory.person();
      const rejected = await ideas.submitted(proposer, sponsor, 900);
      expectOk(await ideas.pledge(lead, rejected, sponsor.id, 300));
      expectOk(await ideas.pledge(otherLead, rejected, other.id, 200));
      expectOk(await ideas.pledge(otherLead, rejected, other.id, 50));
      const rejection = await sut.gql(
        `mutation($id: ID!) { rejectIdea(input: { ideaId: $id, reason: "Not this quarter" }) { idea { status decisionReason } refunds { amount } } }`,
        { id: rejected },
        lead.token,
      );
      expect(rejection.data!.rejectIdea).toEqual({
        idea: { status: 'REJECTED', decisionReason: 'Not this quarter' },
        refunds: [{ amount: 300 }, { amount: 200 }, { amount: 50 }],
      });
      expect([await probe.teamBalance(sponsor.id), await probe.teamBalance(other.id)]).toEqual([
        1_000, 1_000,
      ]);

      const withdrawn = await ideas.submitted(proposer, sponsor, 900);
      expectOk(await ideas.pledge(otherLead, withdrawn, other.id, 120));
      expect(codes(await ideas.withdraw(lead, withdrawn))).toEqual(['FORBIDDEN']);
      expect((await ideas.withdraw(proposer, withdrawn)).data!.withdrawIdea).toEqual({
        idea: { status: 'WITHDRAWN' },
        refunds: [{ amount: 120 }],
      });
      expect(await probe.teamBalance(other.id)).toBe(1_000);
      expect(codes(await ideas.pledge(otherLead, withdrawn, other.id, 1))).toEqual([
        'INVALID_TRANSITION',
      ]);
    });
  });

  it('refunds awkward pro-rata shares exactly: three pledges of 1 returning 2 credits', async () => {
    const teams = await Promise.all([1, 2, 3].map(() => factory.team({ credits: 10 })));
    const leads = await Promise.all(teams.map((team) => factory.person({ team, leads: [team] })));
    const owner = await factory.person();
    const initiativeId = await ideas.initiative(
      owner,
      teams[0],
      leads[0],
      teams.map((team, i) => ({ lead: leads[i], team, amount: 1 })),
    );
    // Spend exactly 1 credit of the 3 on the market.
    const post = await sut.gql(
      `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "One hour", hoursPerWeek: 1, weeks: 1, ratePerHour: 1 }) { need { id } } }`,
      { id: initiativeId },
      owner.token,
    );
    const worker = await factory.person();
    const engagementId = await market.engage(
      owner,
      await market.bid(worker, post.data!.postNeed.need.id, 1, 1),
    );
    expectOk(await market.logTime(worker, engagementId, 1));
    expect(await market.approveWeek(owner, engagementId)).toBe(1);

    const done = await sut.gql(
      `mutation($id: ID!) { completeInitiative(input: { initiativeId: $id }) { refunds { amount } } }`,
      { id: initiativeId },
      owner.token,
    );
    expect(done.data!.completeInitiative.refunds.map((r: { amount: number }) => r.amount)).toEqual([
      1, 1,
    ]);
    const balances = await Promise.all(teams.map((team) => probe.teamBalance(team.id)));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(29);
    expect([...balances].sort((a, b) => a - b)).toEqual([9, 10, 10]);
    expect(await probe.sumOfBalances()).toBe(0);
  });

  it('returns hours refunded after the initiative ended to its funders: an ended initiative holds nothing', async () => {
    const teams = await Promise.all([1, 2].map(() => factory.team({ credits: 1_000 })));
    const leads = await Promise.all(teams.map((team) => factory.person({ team, leads: [team] })));
    const owner = await factory.person();
    const initiativeId = await ideas.initiative(owner, teams[0], leads[0], [
      { lead: leads[0], team: teams[0], amount: 300 },
      { lead: leads[1], team: teams[1], amount: 100 },
    ]);
    const post = await sut.gql(
      `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "Two hours", hoursPerWeek: 2, weeks: 1, ratePerHour: 20 }) { need { id } } }`,
      { id: initiativeId },
      owner.token,
    );
    const worker = await factory.person();
    const engagementId = await market.engage(
      owner,
      await market.bid(worker, post.data!.postNeed.need.id, 2, 20),
    );
    expectOk(await market.logTime(worker, engagementId, 2)); // 40 under review
    // It completes while the hours are under review: 360 back now, 40 kept in the need's escrow.
    const done = await sut.gql(
      `mutation($id: ID!) { completeInitiative(input: { initiativeId: $id }) { refunds { amount } } }`,
      { id: initiativeId },
      owner.token,
    );
    expect(done.data!.completeInitiative.refunds).toEqual([{ amount: 270 }, { amount: 90 }]);
    // The owner disputes the week and the worker concedes: the 40 go back to the funders, 3:1.
    const week = await market.week(owner, engagementId);
    const disputed = await market.disputeTimesheet(owner, week.id);
    expectOk(disputed);
    expectOk(
      await sut.gql(
        ACCEPT_DISPUTE,
        { input: { disputeId: disputed.data!.disputeTimesheet.dispute.id } },
        worker.token,
      ),
    );
    const initiative = await sut.gql(
      `query($id: ID!) { initiative(id: $id) { status balance } }`,
      { id: initiativeId },
      owner.token,
    );
    expect(initiative.data!.initiative).toEqual({ status: 'COMPLETED', balance: 0 });
    expect(await probe.teamBalance(teams[0].id)).toBe(1_000 - 300 + 270 + 30);
    expect(await probe.teamBalance(teams[1].id)).toBe(1_000 - 100 + 90 + 10);
    expect(await probe.sumOfBalances()).toBe(0);
  });

  it("lets the sponsor team's lead cancel, closing the initiative's needs and refunding everything", async () => {
    const sponsor = await factory.team({ credits: 1_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const owner = await factory.person();
    const initiativeId = await ideas.initiative(owner, sponsor, lead, [
      { lead, team: sponsor, amount: 800 },
    ]);
    const post = await sut.gql(
      `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "Help", hoursPerWeek: 2, weeks: 2, ratePerHour: 50 }) { need { id } } }`,
      { id: initiativeId },
      owner.token,
    );
    await market.engage(
      owner,
      await market.bid(await factory.person(), post.data!.postNeed.need.id, 2, 50),
    ); // 200 in escrow
    const stranger = await factory.person();
    const cancel = `mutation($id: ID!) { cancelInitiative(input: { initiativeId: $id, note: "Priorities changed" }) { initiative { status } refunds { amount } } }`;
    expect(codes(await sut.gql(cancel, { id: initiativeId }, stranger.token))).toEqual([
      'FORBIDDEN',
    ]);
    const cancelled = await sut.gql(cancel, { id: initiativeId }, lead.token);
    expect(cancelled.data!.cancelInitiative).toEqual({
      initiative: { status: 'CANCELLED' },
      refunds: [{ amount: 800 }],
    });
    expect(await probe.teamBalance(sponsor.id)).toBe(1_000);
    expect(codes(await sut.gql(cancel, { id: initiativeId }, lead.token))).toEqual([
      'INVALID_TRANSITION',
    ]);
  });
});
