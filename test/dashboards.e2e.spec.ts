import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Clock } from '../src/common/clock/clock.js';
import { SummaryRefreshService } from '../src/modules/dashboard/summary-refresh.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const today = () => new Date().toISOString().slice(0, 10);
const LONG_AGO = { from: '2001-01-01', to: '2001-12-31' };
const DAY = 24 * 60 * 60 * 1000;

describe('Dashboards', () => {
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;
  let market: Market;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    ideas = new Ideas(sut);
    market = new Market(sut, factory);
  });
  afterAll(() => sut.close());

  /** Refreshes the market views, waiting out a refresh another test file may be running. */
  async function refreshSummaries(): Promise<void> {
    const refresher = sut.app.get(SummaryRefreshService);
    while (!(await refresher.refresh())) await new Promise((resolve) => setImmediate(resolve));
  }

  describe('initiativeOutcomes', () => {
    let sponsor: TeamEntity;
    let reader: Person;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      sponsor = await factory.team({ credits: 10_000 });
      const funder = await factory.team({ credits: 5_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const funderLead = await factory.person({ team: funder, leads: [funder] });
      reader = await factory.person();
      const owner = await factory.person({ weeklyCapacityHours: 10 });
      const owner2 = await factory.person();
      const owner3 = await factory.person();

      // A: 1 000 funded 600 / 400; two metrics (HIGHER at 50 %, LOWER at 20 %), 1 of 4 milestones,
      // two members besides the owner, and a need it paid 40 into escrow for (4 hours in its one
      // week), 3 hours logged.
      ids.a = await ideas.initiative(owner, sponsor, lead, [
        { lead, team: sponsor, amount: 600 },
        { lead: funderLead, team: funder, amount: 400 },
      ]);
      const define = async (name: string, baseline: number, target: number, direction: string) =>
        (
          await sut.gql(
            `mutation($input: DefineOutcomeMetricInput!) { defineOutcomeMetric(input: $input) { metric { id } } }`,
            { input: { initiativeId: ids.a, name, baseline, target, direction } },
            owner.token,
          )
        ).data!.defineOutcomeMetric.metric.id as string;
      const record = (metricId: string, value: number, at: string, who = owner) =>
        sut.gql(
          `mutation($id: ID!, $value: Float!, $at: DateTime) { recordMeasurement(input: { metricId: $id, value: $value, at: $at }) { measurement { id } } }`,
          { id: metricId, value, at },
          who.token,
        );
      const calls = await define('Calls', 100, 200, 'HIGHER_IS_BETTER');
      const wait = await define('Wait minutes', 10, 5, 'LOWER_IS_BETTER');
      // Readings of the first and fifth week after the start, a month on (the service's clock
      // moved, no sleeping): a reading may not be dated ahead of now, nor before the start.
      const clock = jest.spyOn(sut.app.get(Clock), 'now');
      const started = Date.now();
      clock.mockImplementation(() => new Date(started + 40 * DAY));
      const week = (n: number) => new Date(started + (7 * n + 1) * DAY).toISOString();
      expectOk(await record(calls, 150, week(4)));
      expectOk(await record(calls, 120, week(0))); // older: not the latest
      expectOk(await record(wait, 9, week(4)));
      clock.mockRestore();
      const members = [await factory.person(), await factory.person()];
      for (const [member, hours] of [
        [members[0], 3],
        [members[1], 2],
      ] as [Person, number][]) {
        expectOk(
          await sut.gql(
            `mutation($id: ID!, $hours: Int!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: $hours }) { membership { hoursPerWeek } } }`,
            { id: ids.a, hours },
            member.token,
          ),
        );
      }
      const milestones: string[] = [];
      for (const title of ['One', 'Two', 'Three', 'Four']) {
        const added = await sut.gql(
          `mutation($id: ID!, $title: String!) { addMilestone(input: { initiativeId: $id, title: $title }) { milestone { id } } }`,
          { id: ids.a, title },
          owner.token,
        );
        milestones.push(added.data!.addMilestone.milestone.id);
      }
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { completeMilestone(input: { milestoneId: $id }) { milestone { id } } }`,
          { id: milestones[0] },
          owner.token,
        ),
      );
      const post = await sut.gql(
        `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "Help", hoursPerWeek: 4, weeks: 1, ratePerHour: 10 }) { need { id } } }`,
        { id: ids.a },
        owner.token,
      );
      const worker = await factory.person();
      const engagement = await market.engage(
        owner,
        await market.bid(worker, post.data!.postNeed.need.id, 4, 10),
      );
      expectOk(await market.logTime(worker, engagement, 3));

      // B: 500, nothing measured or planned, then completed: an empty initiative.
      ids.b = await ideas.initiative(owner2, sponsor, lead, [{ lead, team: sponsor, amount: 500 }]);
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { completeInitiative(input: { initiativeId: $id }) { initiative { id } } }`,
          { id: ids.b },
          owner2.token,
        ),
      );

      // C: 300 from the funder; one metric past its target, capped at 100 %.
      ids.c = await ideas.initiative(owner3, sponsor, lead, [
        { lead: funderLead, team: funder, amount: 300 },
      ]);
      const metric = await sut.gql(
        `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Fans", baseline: 0, target: 10, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
        { id: ids.c },
        owner3.token,
      );
      expectOk(
        await record(
          metric.data!.defineOutcomeMetric.metric.id,
          20,
          new Date().toISOString(),
          owner3,
        ),
      );
      ids.funder = funder.id;
    });

    const OUTCOMES = `query($filter: InitiativeOutcomesFilter, $sort: InitiativeOutcomeSort) {
      initiativeOutcomes(filter: $filter, sort: $sort) {
        totals { initiativeCount funded spent averageOutcomeScore byStatus { status count } }
        initiatives { totalCount nodes {
          initiative { id } status budget spent remaining hoursCommittedPerWeek hoursLogged memberCount
          memberTeams { id } milestonesDone milestonesTotal milestoneProgressPercent outcomeScore
          metrics { name direction baseline latest target progressPercent series }
        } }
      }
    }`;
    const outcomes = async (variables: Record<string, unknown>) => {
      const result = await sut.gql(OUTCOMES, variables, reader.token);
      expectOk(result);
      return result.data!.initiativeOutcomes;
    };

    it('computes each initiative’s numbers and the totals', async () => {
      const result = await outcomes({ filter: { sponsorTeamId: sponsor.id } });
      expect(result.totals).toEqual({
        initiativeCount: 3,
        funded: 1_800,
        spent: 40,
        averageOutcomeScore: 67.5, // mean of 35 (A) and 100 (C); B has no measurement
        byStatus: [
          { status: 'ACTIVE', count: 2 },
          { status: 'COMPLETED', count: 1 },
          { status: 'CANCELLED', count: 0 },
        ],
      });
      const [c, a, b] = result.initiatives.nodes;
      expect([c, a, b].map((n: any) => n.initiative.id)).toEqual([ids.c, ids.a, ids.b]);
      expect(a).toMatchObject({
        status: 'ACTIVE',
        budget: 1_000,
        spent: 40,
        remaining: 960,
        hoursCommittedPerWeek: 5,
        hoursLogged: 3,
        memberCount: 3,
        milestonesDone: 1,
        milestonesTotal: 4,
        milestoneProgressPercent: 25,
        outcomeScore: 35,
        metrics: [
          {
            name: 'Calls',
            direction: 'HIGHER_IS_BETTER',
            baseline: 100,
            latest: 150,
            target: 200,
            progressPercent: 50,
            series: [120, 150],
          },
          {
            name: 'Wait minutes',
            direction: 'LOWER_IS_BETTER',
            baseline: 10,
            latest: 9,
            target: 5,
            progressPercent: 20,
            series: [9],
          },
        ],
      });
      expect(a.memberTeams).toHaveLength(3);
      expect(b).toMatchObject({
        status: 'COMPLETED',
        budget: 500,
        spent: 0,
        remaining: 500,
        hoursCommittedPerWeek: 0,
        hoursLogged: 0,
        memberCount: 1,
        milestonesTotal: 0,
        milestoneProgressPercent: null,
        outcomeScore: null,
        metrics: [],
      });
      expect(c).toMatchObject({
        outcomeScore: 100,
        metrics: [{ latest: 20, progressPercent: 100 }],
      });
    });

    it('sorts by spend and by start, and filters by funder and start date', async () => {
      const bySpend = await outcomes({ filter: { sponsorTeamId: sponsor.id }, sort: 'SPENT' });
      expect(bySpend.initiatives.nodes.map((n: any) => n.initiative.id)).toEqual([
        ids.a,
        ids.c,
        ids.b,
      ]);
      const byStart = await outcomes({ filter: { sponsorTeamId: sponsor.id }, sort: 'STARTED_AT' });
      expect(byStart.initiatives.nodes.map((n: any) => n.initiative.id)).toEqual([
        ids.c,
        ids.b,
        ids.a,
      ]);
      const funded = await outcomes({
        filter: { sponsorTeamId: sponsor.id, fundedByTeamId: ids.funder },
      });
      expect(funded.totals).toMatchObject({ initiativeCount: 2, funded: 1_300 });
      const longAgo = await outcomes({
        filter: { sponsorTeamId: sponsor.id, startedIn: LONG_AGO },
      });
      expect(longAgo.totals).toMatchObject({
        initiativeCount: 0,
        funded: 0,
        averageOutcomeScore: null,
      });
      const thisYear = await outcomes({
        filter: { sponsorTeamId: sponsor.id, startedIn: { from: `${today().slice(0, 4)}-01-01` } },
      });
      expect(thisYear.totals.initiativeCount).toBe(3);
    });

    it('pages by score without losing initiatives whose scores round alike', async () => {
      // Scores 33.333… and 33.33 both show as 33.3; the cursor must still tell them apart.
      const team = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ team, leads: [team] });
      const scored: string[] = [];
      for (const [target, value] of [
        [3, 1],
        [3_000, 999.9],
        [10, 5],
      ]) {
        const owner = await factory.person();
        const id = await ideas.initiative(owner, team, lead, [{ lead, team, amount: 100 }]);
        const metric = await sut.gql(
          `mutation($id: ID!, $target: Float!) { defineOutcomeMetric(input: { initiativeId: $id, name: "M", baseline: 0, target: $target, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
          { id, target },
          owner.token,
        );
        expectOk(
          await sut.gql(
            `mutation($id: ID!, $value: Float!) { recordMeasurement(input: { metricId: $id, value: $value }) { measurement { id } } }`,
            { id: metric.data!.defineOutcomeMetric.metric.id, value },
            owner.token,
          ),
        );
        scored.push(id);
      }
      const seen: { id: string; score: number }[] = [];
      let after: string | null = null;
      do {
        const page: any = await sut.gql(
          `query($filter: InitiativeOutcomesFilter, $after: String) {
            initiativeOutcomes(filter: $filter, first: 1, after: $after) {
              initiatives { pageInfo { hasNextPage endCursor } nodes { initiative { id } outcomeScore } }
            }
          }`,
          { filter: { sponsorTeamId: team.id }, after },
          reader.token,
        );
        expectOk(page);
        const { nodes, pageInfo } = page.data.initiativeOutcomes.initiatives;
        seen.push(...nodes.map((n: any) => ({ id: n.initiative.id, score: n.outcomeScore })));
        after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual([
        { id: scored[2], score: 50 },
        { id: scored[0], score: 33.3 },
        { id: scored[1], score: 33.3 },
      ]);
    });
  });

  describe('marketStats', () => {
    it('measures demand, supply, clearing prices and fill rates per skill', async () => {
      const skill = `Dash ${randomUUID().slice(0, 8)}`;
      const { team, lead } = await market.buyer();
      const holders = await Promise.all(
        [8, 8, 8, 6].map((weeklyCapacityHours) =>
          factory.person({ weeklyCapacityHours, skills: [{ name: skill, level: 3 }] }),
        ),
      );
      // Bids ask 10, 14 and 20 an hour: at most the needs' rate.
      const requires = {
        requiredSkills: [{ name: skill, minLevel: 1 }],
        weeks: 1,
        ratePerHour: 20,
      };
      const filled = await market.postNeed(lead, team, { ...requires, hoursPerWeek: 4 });
      await market.engage(lead, await market.bid(holders[0], filled, 2, 10));
      await market.engage(lead, await market.bid(holders[1], filled, 2, 14));
      const partly = await market.postNeed(lead, team, { ...requires, hoursPerWeek: 5 });
      await market.engage(lead, await market.bid(holders[2], partly, 1, 20));
      await market.postNeed(lead, team, { ...requires, hoursPerWeek: 3 });
      await refreshSummaries();

      const query = `query($filter: MarketStatsFilter) { marketStats(filter: $filter) { asOf skills {
        skill { name } openNeeds openDemandHoursPerWeek holders supplyHoursPerWeek needsPosted needsFilled
        fillRatePercent medianHoursToFill acceptedBids acceptedRate { p25 median p75 } } } }`;
      const now = await sut.gql(
        query,
        { filter: { skill: skill.toUpperCase(), period: { from: today(), to: today() } } },
        lead.token,
      );
      expectOk(now);
      expect(now.data!.marketStats.skills).toEqual([
        {
          skill: { name: skill },
          openNeeds: 2,
          openDemandHoursPerWeek: 7, // 4 left on the 5-hour need, 3 on the untouched one
          holders: 4,
          supplyHoursPerWeek: 25, // 6 + 6 + 7 + 6 spare
          needsPosted: 3,
          needsFilled: 1,
          fillRatePercent: 33.3,
          medianHoursToFill: 0,
          acceptedBids: 3,
          acceptedRate: { p25: 10, median: 14, p75: 20 },
        },
      ]);
      expect(Date.now() - new Date(now.data!.marketStats.asOf).getTime()).toBeLessThan(60_000);
      const past = await sut.gql(query, { filter: { skill, period: LONG_AGO } }, lead.token);
      expect(past.data!.marketStats.skills[0]).toMatchObject({
        openDemandHoursPerWeek: 7,
        needsPosted: 0,
        fillRatePercent: null,
        acceptedBids: 0,
        acceptedRate: null,
      });
    });
  });

  describe('ideaFunnel', () => {
    it('counts the ideas reaching each stage and the conversions between them', async () => {
      const sponsor = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const proposer = await factory.person();
      await ideas.propose(proposer, sponsor, 100); // a draft: private, so counted nowhere
      await ideas.submitted(proposer, sponsor, 100); // submitted only
      const funded = await ideas.submitted(proposer, sponsor, 100);
      expectOk(await ideas.pledge(lead, funded, sponsor.id, 100)); // funded, not decided
      await ideas.initiative(proposer, sponsor, lead, [{ lead, team: sponsor, amount: 100 }]); // approved
      expectOk(await ideas.withdraw(proposer, await ideas.submitted(proposer, sponsor, 100)));
      const rejected = await ideas.submitted(proposer, sponsor, 100);
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { rejectIdea(input: { ideaId: $id, reason: "No" }) { idea { id } } }`,
          { id: rejected },
          lead.token,
        ),
      );

      const result = await sut.gql(
        `query($team: ID!) { ideaFunnel(filter: { sponsorTeamId: $team }) { steps { stage reached conversionPercent medianHoursInStage } rejected withdrawn } }`,
        { team: sponsor.id },
        proposer.token,
      );
      expect(result.data!.ideaFunnel).toEqual({
        steps: [
          { stage: 'PROPOSED', reached: 5, conversionPercent: null, medianHoursInStage: 0 },
          { stage: 'SUBMITTED', reached: 5, conversionPercent: 100, medianHoursInStage: 0 },
          { stage: 'FUNDED', reached: 2, conversionPercent: 40, medianHoursInStage: 0 },
          { stage: 'APPROVED', reached: 1, conversionPercent: 50, medianHoursInStage: null },
        ],
        rejected: 1,
        withdrawn: 1,
      });
      const empty = await sut.gql(
        `query($team: ID!) { ideaFunnel(filter: { sponsorTeamId: $team, proposedIn: { from: "2001-01-01", to: "2001-12-31" } }) { steps { reached conversionPercent } } }`,
        { team: sponsor.id },
        proposer.token,
      );
      expect(empty.data!.ideaFunnel.steps).toEqual([
        { reached: 0, conversionPercent: null },
        { reached: 0, conversionPercent: null },
        { reached: 0, conversionPercent: null },
        { reached: 0, conversionPercent: null },
      ]);
    });
  });

  describe('team P&L and the open-books rule', () => {
    let team: TeamEntity;
    let member: Person;

    beforeAll(async () => {
      team = await factory.team({ credits: 1_000 });
      member = await factory.person({ team });
      const lead = await factory.person({ team, leads: [team] });
      // Earned 30: the member works 3 hours at 10 on another team's need, and the week is approved.
      const other = await market.buyer();
      const theirs = await market.postNeed(other.lead, other.team, {
        hoursPerWeek: 3,
        weeks: 1,
        ratePerHour: 10,
      });
      const work = await market.engage(other.lead, await market.bid(member, theirs, 3, 10));
      expectOk(await market.logTime(member, work, 3));
      expect(await market.approveWeek(other.lead, work)).toBe(30);
      // Spent 5: 10 into escrow for its own need, 5 paid for one approved hour, 5 back when it closes.
      const ours = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1, ratePerHour: 5 });
      const worker = await factory.person();
      const bought = await market.engage(lead, await market.bid(worker, ours, 2, 5));
      expectOk(await market.logTime(worker, bought, 1));
      expect(await market.approveWeek(lead, bought)).toBe(5);
      expectOk(await market.close(lead, ours));
      // Pledged 200 and refunded 200: the idea is withdrawn.
      const proposer = await factory.person();
      const idea = await ideas.submitted(proposer, team, 500);
      expectOk(await ideas.pledge(lead, idea, team.id, 200));
      expectOk(await ideas.withdraw(proposer, idea));
    });

    const PNL = `query($period: DateRange) { teamPnl(period: $period) {
      period { from to } totals { net } teams { nodes { team { id } allocated earned spent pledged refunded net balance
        weekly { week allocated earned spent pledged refunded net } } } } }`;

    /** Every team a reader sees in the P&L, page by page. */
    async function teamsSeenBy(reader: Person): Promise<string[]> {
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const result: GraphQLResponse = await sut.gql(
          `query($after: String) { teamPnl { teams(first: 100, after: $after) {
            nodes { team { id } } pageInfo { hasNextPage endCursor } } } }`,
          { after },
          reader.token,
        );
        expectOk(result);
        const page = result.data!.teamPnl.teams;
        ids.push(...page.nodes.map((t: any) => t.team.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return ids;
    }

    it("gives a team's P&L, week by week, adding up to its balance", async () => {
      const result = await sut.gql(PNL, { period: { from: today(), to: today() } }, member.token);
      expectOk(result);
      const report = result.data!.teamPnl;
      const mine = report.teams.nodes.find((t: any) => t.team.id === team.id);
      const figures = {
        allocated: 1_000,
        earned: 30,
        spent: 5,
        pledged: 200,
        refunded: 200,
        net: 1_025,
      };
      expect(mine).toMatchObject({ ...figures, balance: 1_025 });
      expect(mine.weekly).toHaveLength(1);
      expect(mine.weekly[0]).toMatchObject(figures);
      expect(new Date(`${report.period.from}T00:00:00Z`).getUTCDay()).toBe(1); // a Monday
      expect(new Date(`${report.period.to}T00:00:00Z`).getUTCDay()).toBe(0); // a Sunday

      const longAgo = await sut.gql(PNL, { period: LONG_AGO }, member.token);
      expect(
        longAgo.data!.teamPnl.teams.nodes.find((t: any) => t.team.id === team.id),
      ).toMatchObject({
        allocated: 0,
        earned: 0,
        net: 0,
        balance: 1_025,
        weekly: [],
      });
      const books = await sut.gql(
        `query($id: ID!) { teamLedger(teamId: $id) { balance pnl { net earned spent } weekly { net } } }`,
        { id: team.id },
        member.token,
      );
      expect(books.data!.teamLedger).toEqual({
        balance: 1_025,
        pnl: { net: 1_025, earned: 30, spent: 5 },
        weekly: [{ net: 1_025 }],
      });
    });

    it("shows members their own teams only, and leads and admins every team's", async () => {
      expect(await teamsSeenBy(member)).toEqual([team.id]);
      const someLead = (await market.buyer()).lead;
      const admin = await factory.admin();
      for (const reader of [someLead, admin]) {
        const all = await teamsSeenBy(reader);
        expect(all).toContain(team.id);
        expect(all.length).toBeGreaterThan(2);
      }
      const outsider = await factory.person();
      expect(
        codes(
          await sut.gql(
            `query($id: ID!) { teamLedger(teamId: $id) { balance } }`,
            { id: team.id },
            outsider.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
    });

    it('exports the P&L and initiative outcomes as CSV, to signed-in users only', async () => {
      const csv = await fetch(`${sut.url}/export/team-pnl.csv?from=${today()}&to=${today()}`, {
        headers: { authorization: `Bearer ${member.token}` },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const [header, row, ...rest] = (await csv.text()).trim().split('\n');
      // Text quoted, numbers not.
      expect(header).toBe(
        '"team","period_from","period_to","allocated","earned","spent","pledged","refunded","net","balance_now","hours_pending","hours_disputed","hours_paid","hours_refunded","hours_bought_under_review"',
      );
      expect(row).toMatch(
        new RegExp(
          `^"${team.name}","\\d{4}-\\d{2}-\\d{2}","\\d{4}-\\d{2}-\\d{2}",1000,30,5,200,200,1025,1025(,\\d+){5}$`,
        ),
      );
      expect(rest).toEqual([]);

      const anonymous = await fetch(`${sut.url}/export/team-pnl.csv`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      const bad = await fetch(`${sut.url}/export/team-pnl.csv?from=yesterday`, {
        headers: { authorization: `Bearer ${member.token}` },
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'from' } });

      const outcomes = await fetch(
        `${sut.url}/export/initiative-outcomes.csv?status=COMPLETED&sort=SPENT`,
        {
          headers: { authorization: `Bearer ${member.token}` },
        },
      );
      const lines = (await outcomes.text()).trim().split('\n');
      expect(lines[0]).toMatch(
        /^"initiative","status","started","sponsor_team","budget","spent","remaining",/,
      );
      expect(lines.slice(1).every((line) => line.split(',')[1] === '"COMPLETED"')).toBe(true);
    });
  });
});
