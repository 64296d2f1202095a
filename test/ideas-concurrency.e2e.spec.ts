import { Factory, LedgerProbe } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

describe('Ideas under concurrent requests', () => {
  let sut: TestApp;
  let factory: Factory;
  let probe: LedgerProbe;
  let ideas: Ideas;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    probe = new LedgerProbe(sut.dataSource);
    ideas = new Ideas(sut);
  });
  afterAll(() => sut.close());

  it('lets 100 concurrent pledges from 10 teams fill the goal and no more, leaving refused teams untouched', async () => {
    const funders = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const team = await factory.team({ credits: 1_000 });
        return { team, lead: await factory.person({ team, leads: [team] }) };
      }),
    );
    const proposer = await factory.person();
    const goal = 1_234;
    const ideaId = await ideas.submitted(proposer, funders[0].team, goal);

    // Ten pledges per team of 37 credits: 3 700 offered for a goal of 1 234, which 37 does not divide.
    const attempts = funders.flatMap((funder) => Array.from({ length: 10 }, () => funder));
    const results = await Promise.all(
      attempts.map(({ lead, team }) => ideas.pledge(lead, ideaId, team.id, 37)),
    );
    const accepted = results.filter((r) => !r.errors);
    for (const refused of results.filter((r) => r.errors))
      expect(codes(refused)).toEqual(['CONFLICT']);
    expect(accepted).toHaveLength(Math.floor(goal / 37)); // 33 pledges, 1 221 credits: the next would pass the goal

    const [idea] = await sut.dataSource.query(
      `SELECT i.status, i.pledged_total::int AS pledged, a.balance::int AS escrow
         FROM idea i JOIN account a ON a.id = i.escrow_account_id WHERE i.id = $1`,
      [ideaId],
    );
    expect(idea).toEqual({ status: 'SUBMITTED', pledged: 33 * 37, escrow: 33 * 37 });
    for (const { team } of funders) {
      const [{ pledged }] = await sut.dataSource.query(
        `SELECT coalesce(sum(amount), 0)::int AS pledged FROM pledge WHERE idea_id = $1 AND team_id = $2`,
        [ideaId, team.id],
      );
      expect(await probe.teamBalance(team.id)).toBe(1_000 - pledged);
    }
    expect(await probe.sumOfBalances()).toBe(0);

    // The last 13 credits fill it exactly.
    const last = await ideas.pledge(funders[3].lead, ideaId, funders[3].team.id, goal - 33 * 37);
    expect(last.data!.pledgeToIdea.idea).toMatchObject({ status: 'FUNDED', pledgedTotal: goal });
  });

  it('lets exactly one of approval and withdrawal win when they race', async () => {
    for (let round = 0; round < 5; round++) {
      const sponsor = await factory.team({ credits: 500 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const proposer = await factory.person();
      const ideaId = await ideas.submitted(proposer, sponsor, 400);
      await ideas.pledge(lead, ideaId, sponsor.id, 400);

      const [approval, withdrawal] = await Promise.all([
        ideas.approve(lead, ideaId),
        ideas.withdraw(proposer, ideaId),
      ]);
      const winners = [approval, withdrawal].filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      expect(codes(approval.errors ? approval : withdrawal)).toEqual(['INVALID_TRANSITION']);
      const [row] = await sut.dataSource.query(
        `SELECT i.status, (SELECT count(*)::int FROM initiative WHERE id = i.initiative_id) AS initiatives
           FROM idea i WHERE i.id = $1`,
        [ideaId],
      );
      if (approval.errors) {
        expect(row).toEqual({ status: 'WITHDRAWN', initiatives: 0 });
        expect(await probe.teamBalance(sponsor.id)).toBe(500);
      } else {
        expect(row).toEqual({ status: 'APPROVED', initiatives: 1 });
        expect(await probe.teamBalance(sponsor.id)).toBe(100);
      }
    }
    expect(await probe.sumOfBalances()).toBe(0);
  });
});
