import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { Market } from './support/market.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NESTED_NEEDS = `query($team: ID!, $first: Int!) {
  needs(filter: { buyerTeamId: $team }, first: $first) {
    totalCount
    edges {
      cursor
      node {
        id title status remainingHoursPerWeek escrowBalance bidCount
        buyer { ... on Team { id name leads { name } } }
        postedBy { name }
        requiredSkills { minLevel skill { name } }
        bids(first: 10) {
          totalCount
          nodes {
            id hoursPerWeek ratePerHour totalCost
            skills { name }
            bidder { id name homeTeam { name } skills { level skill { name } } }
          }
        }
      }
    }
  }
}`;

describe('SQL statements per request (no N+1)', () => {
  let sut: TestApp;
  let lead: Person;
  let team: TeamEntity;

  beforeAll(async () => {
    // Priced at every list's maximum (20 skills a bid, 20 a need) this rich page of 50 needs
    // costs about 36 000, past the default budget: this spec counts statements, so it lifts
    // the budget (query-limits.e2e.spec.ts covers the cost limit).
    sut = await startTestApp({ GRAPHQL_MAX_COST: '50000' });
    const factory = new Factory(sut);
    const market = new Market(sut, factory);
    ({ team, lead } = await market.buyer());
    const skills = [
      { name: 'Research', level: 3 },
      { name: 'Copywriting', level: 4 },
    ];
    const workers = await Promise.all([
      factory.person({ skills }),
      factory.person({ skills }),
      factory.person({ skills }),
    ]);
    for (let i = 0; i < 50; i++) {
      const needId = await market.postNeed(lead, team, {
        title: `Need ${i}`,
        hoursPerWeek: 6,
        requiredSkills: [{ name: 'Research', minLevel: 2 }],
      });
      for (const worker of workers) await market.bid(worker, needId, 1, 10, ['Research']);
    }
  });
  afterAll(() => sut.close());

  async function statementsFor(
    first: number,
  ): Promise<{ statements: number; needs: number; bids: number }> {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lead.token}` },
      body: JSON.stringify({ query: NESTED_NEEDS, variables: { team: team.id, first } }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const needs = body.data.needs.edges;
    return {
      statements: Number(response.headers.get(STATEMENT_COUNT_HEADER)),
      needs: needs.length,
      bids: needs.reduce((sum: number, edge: any) => sum + edge.node.bids.nodes.length, 0),
    };
  }

  it('costs the same number of statements for 50 needs as for 5', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect([five.needs, five.bids]).toEqual([5, 15]);
    expect([fifty.needs, fifty.bids]).toEqual([50, 150]);
    expect(fifty.statements).toBe(five.statements);
    expect(five.statements).toBeGreaterThan(0);
    expect(five.statements).toBeLessThanOrEqual(16);
  });
});
