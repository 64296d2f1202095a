import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

describe('Cursor pagination', () => {
  let sut: TestApp;
  let reader: Person;
  let team: TeamEntity;
  let expectedIds: string[];

  beforeAll(async () => {
    sut = await startTestApp();
    const factory = new Factory(sut);
    team = await factory.team();
    reader = await factory.person({ team });
    // 249 more members, inserted in one statement; some share a name so the id breaks ties.
    await sut.dataSource.query(
      `WITH people AS (
         INSERT INTO employee (name, email, password_hash, home_team_id)
         SELECT 'Member ' || lpad((i % 200)::text, 3, '0'), 'member-' || i || '-' || $1::text || '@example.test', 'x', $1::uuid
           FROM generate_series(1, 249) AS i
         RETURNING id
       )
       INSERT INTO team_membership (team_id, employee_id) SELECT $1::uuid, id FROM people`,
      [team.id],
    );
    const rows: { id: string }[] = await sut.dataSource.query(
      `SELECT employee_id AS id FROM team_membership WHERE team_id = $1`,
      [team.id],
    );
    expectedIds = rows.map((r) => r.id).sort();
  });
  afterAll(() => sut.close());

  async function walk(
    query: string,
    pick: (data: any) => {
      edges: { cursor: string; node: any }[];
      pageInfo: any;
      totalCount: number;
    },
    idOf: (node: any) => string,
    pageSize: number,
  ): Promise<{ ids: string[]; pages: number; totalCounts: Set<number> }> {
    const ids: string[] = [];
    const totalCounts = new Set<number>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result = await sut.gql(
        query,
        { teamId: team.id, first: pageSize, after },
        reader.token,
      );
      expect(result.errors).toBeUndefined();
      const connection = pick(result.data);
      pages++;
      totalCounts.add(connection.totalCount);
      ids.push(...connection.edges.map((e) => idOf(e.node)));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    return { ids, pages, totalCounts };
  }

  it('walks a 250-person list exactly once, with no duplicates or gaps', async () => {
    const query = `query($teamId: ID!, $first: Int!, $after: String) {
      employees(filter: { teamId: $teamId }, first: $first, after: $after) {
        totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const { ids, pages, totalCounts } = await walk(
      query,
      (d) => d.employees,
      (n) => n.id,
      7,
    );
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort()).toEqual(expectedIds);
    expect(pages).toBe(Math.ceil(250 / 7));
    expect([...totalCounts]).toEqual([250]);
  });

  it('walks the same people through the team’s members with pages of 100', async () => {
    const query = `query($teamId: ID!, $first: Int!, $after: String) {
      team(id: $teamId) {
        members(first: $first, after: $after) {
          totalCount edges { cursor node { role employee { id } } } pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    const { ids, pages } = await walk(
      query,
      (d) => d.team.members,
      (n) => n.employee.id,
      100,
    );
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort()).toEqual(expectedIds);
    expect(pages).toBe(3);
  });

  it('returns names in order, ties broken by id', async () => {
    const result = await sut.gql(
      `query($teamId: ID!) { employees(filter: { teamId: $teamId }, first: 100) { nodes { id name } } }`,
      { teamId: team.id },
      reader.token,
    );
    const nodes: { id: string; name: string }[] = result.data!.employees.nodes;
    const sorted = [...nodes].sort((a, b) =>
      a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1,
    );
    expect(nodes).toEqual(sorted);
  });

  it('answers past the end with an empty page and no next page', async () => {
    const query = `query($teamId: ID!, $after: String) {
      employees(filter: { teamId: $teamId }, first: 100, after: $after) {
        edges { cursor } pageInfo { hasNextPage endCursor }
      }
    }`;
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result: GraphQLResponse = await sut.gql(
        query,
        { teamId: team.id, after },
        reader.token,
      );
      after = result.data!.employees.pageInfo.endCursor;
    }
    const beyond = await sut.gql(query, { teamId: team.id, after }, reader.token);
    expect(beyond.data!.employees).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });
});
