import { buildSchema, type GraphQLObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk } from './support/market.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const schema = buildSchema(readFileSync(new URL('../schema.gql', import.meta.url), 'utf8'));
const fieldOf = (type: string, field: string) =>
  (schema.getType(type) as GraphQLObjectType).getFields()[field];

/**
 * One contract for client authors (issue 15): a name means the same thing on every type,
 * figures are rounded as their descriptions say, lists page on their connection; what had to
 * change is deprecated and still answers as it did.
 */
describe('One consistent contract', () => {
  let sut: TestApp;
  let ideas: Ideas;
  let sponsor: TeamEntity;
  let owner: Person;
  let lead: Person;
  let reader: Person;
  const initiatives: string[] = [];

  beforeAll(async () => {
    sut = await startTestApp();
    const factory = new Factory(sut);
    ideas = new Ideas(sut);
    sponsor = await factory.team({ credits: 10_000 });
    lead = await factory.person({ team: sponsor, leads: [sponsor] });
    owner = await factory.person({ team: sponsor });
    reader = await factory.person();
    for (const amount of [300, 200, 100]) {
      initiatives.push(
        await ideas.initiative(owner, sponsor, lead, [{ lead, team: sponsor, amount }]),
      );
    }
    // The first initiative: the owner, a member who stays and one who left; one metric a third
    // of the way from its baseline to its target.
    const join = `mutation($id: ID!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: 1 }) { membership { hoursPerWeek } } }`;
    const stays = await factory.person();
    const leaves = await factory.person();
    for (const member of [stays, leaves])
      expectOk(await sut.gql(join, { id: initiatives[0] }, member.token));
    expectOk(
      await sut.gql(
        `mutation($id: ID!) { leaveInitiative(input: { initiativeId: $id }) { initiative { id } } }`,
        { id: initiatives[0] },
        leaves.token,
      ),
    );
    const metric = await sut.gql(
      `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Calls", baseline: 0, target: 3, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
      { id: initiatives[0] },
      owner.token,
    );
    expectOk(metric);
    expectOk(
      await sut.gql(
        `mutation($id: ID!) { recordMeasurement(input: { metricId: $id, value: 1 }) { measurement { id } } }`,
        { id: metric.data!.defineOutcomeMetric.metric.id },
        owner.token,
      ),
    );
  });
  afterAll(() => sut.close());

  const read = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await sut.gql(query, variables, reader.token);
    expectOk(result);
    return result.data!;
  };

  /** The first initiative as its outcome row. */
  async function outcomeRow(fields: string) {
    const data = await read(
      `query($team: ID!) { initiativeOutcomes(filter: { sponsorTeamId: $team }, sort: STARTED_AT) {
         initiatives(first: 100) { nodes { initiative { id } ${fields} } }
       } }`,
      { team: sponsor.id },
    );
    return data.initiativeOutcomes.initiatives.nodes.find(
      (n: { initiative: { id: string } }) => n.initiative.id === initiatives[0],
    );
  }

  it('deprecates, never removes, what changed meaning or shape', () => {
    expect({
      'Initiative.memberCount': fieldOf('Initiative', 'memberCount').deprecationReason,
      'InitiativeOutcome.memberCount': fieldOf('InitiativeOutcome', 'memberCount')
        .deprecationReason,
      'MetricOutcome.latest': fieldOf('MetricOutcome', 'latest').deprecationReason,
      'initiativeOutcomes(first)': fieldOf('Query', 'initiativeOutcomes').args.find(
        (a) => a.name === 'first',
      )?.deprecationReason,
      'initiativeOutcomes(after)': fieldOf('Query', 'initiativeOutcomes').args.find(
        (a) => a.name === 'after',
      )?.deprecationReason,
    }).toEqual({
      'Initiative.memberCount': expect.stringContaining('currentMemberCount'),
      'InitiativeOutcome.memberCount': expect.stringContaining('allTimeMemberCount'),
      'MetricOutcome.latest': expect.stringContaining('latestValue'),
      'initiativeOutcomes(first)': expect.stringContaining('initiatives(first, after)'),
      'initiativeOutcomes(after)': expect.stringContaining('initiatives(first, after)'),
    });
  });

  it('counts members now and members ever under the same names on both types', async () => {
    const { initiative } = await read(
      `query($id: ID!) { initiative(id: $id) { memberCount currentMemberCount allTimeMemberCount members { hoursPerWeek } } }`,
      { id: initiatives[0] },
    );
    expect(initiative).toMatchObject({ currentMemberCount: 2, allTimeMemberCount: 3 });
    expect(initiative.members).toHaveLength(initiative.currentMemberCount);
    expect(initiative.memberCount).toBe(2); // deprecated: members now, as before

    const row = await outcomeRow('memberCount currentMemberCount allTimeMemberCount');
    expect(row).toMatchObject({ currentMemberCount: 2, allTimeMemberCount: 3 });
    expect(row.memberCount).toBe(3); // deprecated: everyone ever a member, as before
  });

  it('rounds outcome scores and percentages to one decimal place on every type', async () => {
    const { initiative } = await read(
      `query($id: ID!) { initiative(id: $id) { outcomeScore metrics { progressPercent latestValue } } }`,
      { id: initiatives[0] },
    );
    expect(initiative).toEqual({
      outcomeScore: 33.3,
      metrics: [{ progressPercent: 33.3, latestValue: 1 }],
    });
    expect(await outcomeRow('outcomeScore metrics { progressPercent latestValue latest }')).toEqual(
      {
        initiative: { id: initiatives[0] },
        outcomeScore: 33.3,
        metrics: [{ progressPercent: 33.3, latestValue: 1, latest: 1 }],
      },
    );

    const ideaId = await ideas.submitted(owner, sponsor, 3);
    expectOk(await ideas.pledge(lead, ideaId, sponsor.id, 1));
    const { idea } = await read(`query($id: ID!) { idea(id: $id) { fundedPercent } }`, {
      id: ideaId,
    });
    expect(idea.fundedPercent).toBe(33.3);
  });

  it('pages initiativeOutcomes on its connection, and still by the deprecated arguments', async () => {
    const walk = async (query: string) => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const data = await read(query, { team: sponsor.id, after });
        const page = data.initiativeOutcomes.initiatives;
        expect(page.nodes.length).toBeLessThanOrEqual(1);
        seen.push(...page.nodes.map((n: { initiative: { id: string } }) => n.initiative.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return seen;
    };
    const onTheConnection = await walk(
      `query($team: ID!, $after: String) { initiativeOutcomes(filter: { sponsorTeamId: $team }, sort: SPENT) {
         initiatives(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { initiative { id } } }
       } }`,
    );
    const deprecated = await walk(
      `query($team: ID!, $after: String) { initiativeOutcomes(filter: { sponsorTeamId: $team }, sort: SPENT, first: 1, after: $after) {
         initiatives { pageInfo { hasNextPage endCursor } nodes { initiative { id } } }
       } }`,
    );
    // By spent (none yet), then newest first.
    expect(onTheConnection).toEqual([...initiatives].reverse());
    expect(deprecated).toEqual(onTheConnection);

    // Both given: the connection's own arguments win; neither: 20, as before.
    const both = await read(
      `query($team: ID!) { initiativeOutcomes(filter: { sponsorTeamId: $team }, first: 1) {
         totals { initiativeCount } initiatives(first: 3) { totalCount nodes { spent } }
       } }`,
      { team: sponsor.id },
    );
    expect(both.initiativeOutcomes).toEqual({
      totals: { initiativeCount: 3 },
      initiatives: { totalCount: 3, nodes: [{ spent: 0 }, { spent: 0 }, { spent: 0 }] },
    });
  });

  it('prices each way of paging by the page it reads, not both at once', async () => {
    // 100 rows of a heavy selection: within the budget once, not 100 × 100 times.
    const row = `initiative { id title } sponsorTeam { name } memberTeams(first: 5) { name }
      metrics { name series latestValue }`;
    for (const query of [
      `{ initiativeOutcomes { totals { funded } initiatives(first: 100) { nodes { ${row} } } } }`,
      `{ initiativeOutcomes(first: 100) { totals { funded } initiatives { nodes { ${row} } } } }`,
    ]) {
      const result = await sut.gql(query, {}, reader.token);
      expect(codes(result)).toEqual([]);
    }
    const both = await sut.gql(
      `{ initiativeOutcomes(first: 100) { initiatives(first: 100) { nodes { ${row} } } unpaged: initiatives { nodes { ${row} } } } }`,
      {},
      reader.token,
    );
    expect(codes(both)).toEqual(['QUERY_TOO_COMPLEX']);
  });
});
