import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { REFRESH_SUMMARIES_JOB } from '../src/modules/dashboard/summary-refresh.service.js';
import { JobQueue } from '../src/modules/jobs/job-queue.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

/** A cursor as the service encodes one, of any JSON text: base64url. */
const forgedCursor = (json: string): string => Buffer.from(json).toString('base64url');

/** What each sort column holds, and values a forger might put in its place. */
const KEYS = {
  bigint: { valid: 1, forged: ['1e19', '1.5', '"1"', 'null', '1e400'] },
  integer: { valid: 1, forged: ['1e10', '1.5', '"1"'] },
  double: { valid: 12.5, forged: ['"12.5"', 'null', '1e400'] },
  text: { valid: 'M', forged: ['5', '"a\\u0000b"'] },
  uuid: { valid: randomUUID(), forged: ['"not-a-uuid"', '5'] },
  timestamp: {
    valid: '2026-01-31T09:00:00.000000Z',
    forged: [
      '"not a time"',
      '"2026-02-30T09:00:00.000000Z"',
      '"294277-01-01T00:00:00.000000Z"',
      '"2026-01-31T09:00:00Z; DROP"',
      '5',
    ],
  },
} as const;
type Key = keyof typeof KEYS;

/** Every forged cursor for a list sorted by `keys`: malformed, or one key holding what its column cannot. */
function forgedCursors(keys: Key[]): string[] {
  const valid = keys.map((key) => JSON.stringify(KEYS[key].valid));
  const shapes = ['not a cursor', '{}', '[]', `[${[...valid, '1'].join(',')}]`];
  const values = keys.flatMap((key, i) =>
    KEYS[key].forged.map((bad) => `[${valid.map((v, j) => (j === i ? bad : v)).join(',')}]`),
  );
  return [...shapes, ...values];
}

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
  describe('a cursor on every list that takes one', () => {
    const people: Record<'admin' | 'owner' | 'worker' | 'lead', Person> = {} as never;
    const ids: Record<'idea' | 'initiative' | 'need' | 'openNeed' | 'engagement' | 'team', string> =
      {} as never;

    /** Something on every list, so that each hands out a cursor of its own. */
    beforeAll(async () => {
      const factory = new Factory(sut);
      const ideas = new Ideas(sut);
      const market = new Market(sut, factory);
      const sponsor = await factory.team({ credits: 10_000 });
      people.admin = await factory.admin();
      people.owner = await factory.person();
      people.worker = await factory.person({ skills: [{ name: 'Cursor forging', level: 3 }] });
      people.lead = await factory.person({ team: sponsor, leads: [sponsor] });
      ids.team = sponsor.id;
      ids.idea = await ideas.submitted(people.owner, sponsor, 100);
      ids.initiative = await ideas.initiative(people.owner, sponsor, people.lead, [
        { lead: people.lead, team: sponsor, amount: 100 },
      ]);
      const metric = await sut.gql(
        `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Calls", baseline: 0, target: 10, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
        { id: ids.initiative },
        people.owner.token,
      );
      expectOk(metric);
      expectOk(
        await sut.gql(
          `mutation($id: ID!, $at: DateTime!) { recordMeasurement(input: { metricId: $id, value: 4, at: $at }) { measurement { at } } }`,
          // Since the initiative started (a reading may not be older), with milliseconds.
          { id: metric.data!.defineOutcomeMetric.metric.id, at: new Date().toISOString() },
          people.owner.token,
        ),
      );
      const initiativeNeed = await sut.gql(
        `mutation($id: ID!) { postNeed(input: { buyerInitiativeId: $id, title: "Help", hoursPerWeek: 1, weeks: 1, ratePerHour: 10 }) { need { id } } }`,
        { id: ids.initiative },
        people.owner.token,
      );
      expectOk(initiativeNeed);
      ids.openNeed = initiativeNeed.data!.postNeed.need.id;
      ids.need = await market.postNeed(people.lead, sponsor);
      ids.engagement = await market.engage(people.lead, await market.bid(people.worker, ids.need));
      expectOk(await market.logTime(people.worker, ids.engagement, 1));
      const weeks = await sut.gql(
        `query($id: ID!) { engagement(id: $id) { timesheets { id } } }`,
        { id: ids.engagement },
        people.lead.token,
      );
      expectOk(weeks);
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { disputeTimesheet(input: { timesheetId: $id, reason: "Not done" }) { dispute { id } } }`,
          { id: weeks.data!.engagement.timesheets[0].id },
          people.lead.token,
        ),
      );
      // A job for the admin's list of jobs (enqueued only: this app runs no workers).
      expect(await sut.app.get(JobQueue).runNow(REFRESH_SUMMARIES_JOB)).toEqual(expect.any(String));
      for (const [subjectType, subjectId] of [
        ['IDEA', ids.idea],
        ['INITIATIVE', ids.initiative],
        ['NEED', ids.need],
      ]) {
        expectOk(
          await sut.gql(
            `mutation($type: CommentSubject!, $id: ID!) { commentOn(input: { subjectType: $type, subjectId: $id, body: "Noted" }) { comment { id } } }`,
            { type: subjectType, id: subjectId },
            people.owner.token,
          ),
        );
      }
      // An edit of everything that keeps revisions.
      const edits: [string, Record<string, unknown>, Person][] = [
        [
          `editIdea(input: { ideaId: "${ids.idea}", title: "Edited" }) { idea { id } }`,
          {},
          people.owner,
        ],
        [
          `editNeed(input: { needId: "${ids.openNeed}", title: "Edited" }) { need { id } }`,
          {},
          people.owner,
        ],
        [
          `editOutcomeMetric(input: { metricId: "${metric.data!.defineOutcomeMetric.metric.id}", target: 20 }) { metric { id } }`,
          {},
          people.owner,
        ],
      ];
      const milestone = await sut.gql(
        `mutation($id: ID!) { addMilestone(input: { initiativeId: $id, title: "Plan" }) { milestone { id } } }`,
        { id: ids.initiative },
        people.owner.token,
      );
      expectOk(milestone);
      edits.push([
        `editMilestone(input: { milestoneId: "${milestone.data!.addMilestone.milestone.id}", title: "Edited" }) { milestone { id } }`,
        {},
        people.owner,
      ]);
      const comments = await sut.gql(
        `query($id: ID!) { idea(id: $id) { comments(first: 1) { nodes { id } } } }`,
        { id: ids.idea },
        people.owner.token,
      );
      expectOk(comments);
      edits.push([
        `editComment(input: { commentId: "${comments.data!.idea.comments.nodes[0].id}", body: "Noted, edited" }) { comment { id } }`,
        {},
        people.owner,
      ]);
      for (const [mutation, variables, who] of edits) {
        expectOk(await sut.gql(`mutation { ${mutation} }`, variables, who.token));
      }
    });

    const PAGE = '(first: 1, after: $after) { pageInfo { endCursor } }';
    /** Each list, the sort columns its cursor holds, who reads it, and how. */
    const LISTS: { list: string; keys: Key[]; as: keyof typeof people; query: string }[] = [
      { list: 'auditLog', keys: ['bigint'], as: 'admin', query: `auditLog${PAGE}` },
      { list: 'disputes', keys: ['bigint'], as: 'admin', query: `disputes${PAGE}` },
      { list: 'jobs', keys: ['timestamp', 'uuid'], as: 'admin', query: `jobs${PAGE}` },
      // The owner's inbox: the pledges and comments on their idea told them.
      { list: 'notifications', keys: ['bigint'], as: 'owner', query: `notifications${PAGE}` },
      { list: 'employees', keys: ['text', 'uuid'], as: 'admin', query: `employees${PAGE}` },
      { list: 'skills', keys: ['text', 'uuid'], as: 'admin', query: `skills${PAGE}` },
      { list: 'teams', keys: ['text', 'uuid'], as: 'admin', query: `teams${PAGE}` },
      { list: 'ideas', keys: ['bigint'], as: 'owner', query: `ideas${PAGE}` },
      {
        list: 'ideas',
        keys: ['integer', 'bigint'],
        as: 'owner',
        query: `ideas${PAGE.replace('(', '(sort: MOST_ENDORSED, ')}`,
      },
      {
        list: 'ideas',
        keys: ['bigint', 'bigint'],
        as: 'owner',
        query: `ideas${PAGE.replace('(', '(sort: MOST_FUNDED, ')}`,
      },
      { list: 'initiatives', keys: ['bigint'], as: 'owner', query: `initiatives${PAGE}` },
      {
        list: 'initiativeOutcomes',
        keys: ['double', 'bigint'],
        as: 'owner',
        query: `initiativeOutcomes(first: 1, after: $after) { initiatives { pageInfo { endCursor } } }`,
      },
      {
        list: 'initiativeOutcomes',
        keys: ['bigint', 'bigint'],
        as: 'owner',
        query: `initiativeOutcomes(sort: SPENT, first: 1, after: $after) { initiatives { pageInfo { endCursor } } }`,
      },
      {
        list: 'initiativeOutcomes',
        keys: ['bigint'],
        as: 'owner',
        query: `initiativeOutcomes(sort: STARTED_AT, first: 1, after: $after) { initiatives { pageInfo { endCursor } } }`,
      },
      {
        list: 'InitiativeOutcomes.initiatives',
        keys: ['double', 'bigint'],
        as: 'owner',
        query: `initiativeOutcomes { initiatives${PAGE} }`,
      },
      {
        list: 'ledgerAccounts',
        keys: ['text', 'timestamp', 'uuid'],
        as: 'admin',
        query: `ledgerAccounts${PAGE}`,
      },
      { list: 'ledgerTransfers', keys: ['bigint'], as: 'admin', query: `ledgerTransfers${PAGE}` },
      { list: 'needs', keys: ['bigint'], as: 'owner', query: `needs${PAGE}` },
      { list: 'Employee.bids', keys: ['bigint'], as: 'worker', query: `me { bids${PAGE} }` },
      {
        list: 'Employee.engagements',
        keys: ['bigint'],
        as: 'worker',
        query: `me { engagements${PAGE} }`,
      },
      {
        list: 'Engagement.timeLogs',
        keys: ['bigint'],
        as: 'worker',
        query: `engagement(id: $engagement) { timeLogs${PAGE} }`,
      },
      {
        list: 'Idea.comments',
        keys: ['bigint'],
        as: 'owner',
        query: `idea(id: $idea) { comments${PAGE} }`,
      },
      {
        list: 'Initiative.comments',
        keys: ['bigint'],
        as: 'owner',
        query: `initiative(id: $initiative) { comments${PAGE} }`,
      },
      {
        list: 'Initiative.needs',
        keys: ['bigint'],
        as: 'owner',
        query: `initiative(id: $initiative) { needs${PAGE} }`,
      },
      { list: 'Need.bids', keys: ['bigint'], as: 'lead', query: `need(id: $need) { bids${PAGE} }` },
      {
        list: 'Idea.revisions',
        keys: ['bigint'],
        as: 'owner',
        query: `idea(id: $idea) { revisions${PAGE} }`,
      },
      {
        list: 'Need.revisions',
        keys: ['bigint'],
        as: 'owner',
        query: `need(id: $openNeed) { revisions${PAGE} }`,
      },
      {
        list: 'Comment.revisions',
        keys: ['bigint'],
        as: 'owner',
        query: `idea(id: $idea) { comments(first: 1) { nodes { revisions${PAGE} } } }`,
      },
      {
        list: 'Milestone.revisions',
        keys: ['bigint'],
        as: 'owner',
        query: `initiative(id: $initiative) { milestones { revisions${PAGE} } }`,
      },
      {
        list: 'OutcomeMetric.revisions',
        keys: ['bigint'],
        as: 'owner',
        query: `initiative(id: $initiative) { metrics { revisions${PAGE} } }`,
      },
      {
        list: 'Need.comments',
        keys: ['bigint'],
        as: 'lead',
        query: `need(id: $need) { comments${PAGE} }`,
      },
      {
        list: 'OutcomeMetric.measurements',
        keys: ['timestamp', 'uuid'],
        as: 'owner',
        query: `initiative(id: $initiative) { metrics { measurements${PAGE} } }`,
      },
      {
        list: 'Team.members',
        keys: ['text', 'uuid'],
        as: 'lead',
        query: `team(id: $team) { members${PAGE} }`,
      },
      {
        list: 'TeamLedger.entries',
        keys: ['bigint'],
        as: 'lead',
        query: `teamLedger(teamId: $team) { entries${PAGE} }`,
      },
      {
        list: 'TeamPnlReport.teams',
        keys: ['text'],
        as: 'lead',
        query: `teamPnl { teams${PAGE} }`,
      },
    ];

    /** The list's page after `after`: its end cursor, or its errors. */
    async function page(
      { query, as }: (typeof LISTS)[number],
      after: string | null,
    ): Promise<GraphQLResponse & { endCursor?: string | null }> {
      const used = Object.keys(ids).filter((name) => query.includes(`$${name}`));
      const declared = used.map((name) => `, $${name}: ID!`).join('');
      const result = await sut.gql(
        `query($after: String${declared}) { ${query} }`,
        { after, ...Object.fromEntries(used.map((name) => [name, ids[name as keyof typeof ids]])) },
        people[as].token,
      );
      const endCursor = JSON.stringify(result.data ?? {}).match(/"endCursor":("[^"]*"|null)/)?.[1];
      return { ...result, endCursor: endCursor && JSON.parse(endCursor) };
    }

    it('covers every field of the schema that takes a cursor', async () => {
      const schema = await readFile(new URL('../schema.gql', import.meta.url), 'utf8');
      const fields = new Set<string>();
      let type = '';
      let field = '';
      for (const line of schema.split('\n')) {
        type = /^type (\w+)/.exec(line)?.[1] ?? type;
        field = /^ {2}(\w+)\($/.exec(line)?.[1] ?? field;
        // Deprecated paging arguments still page (initiativeOutcomes(first, after)).
        if (/^ {4}after: String( @deprecated\(.*\))?$/.test(line))
          fields.add(type === 'Query' ? field : `${type}.${field}`);
      }
      expect([...fields].sort()).toEqual([...new Set(LISTS.map(({ list }) => list))].sort());
    });

    it.each(LISTS)(
      '$list by $keys: takes its own cursors, refuses forged ones with BAD_USER_INPUT on after',
      async (list) => {
        const first = await page(list, null);
        expect(first.errors).toBeUndefined();
        expect(first.endCursor).toEqual(expect.any(String));
        expect((await page(list, first.endCursor!)).errors).toBeUndefined();
        // Well formed, whatever row it names.
        const wellFormed = JSON.stringify(list.keys.map((key) => KEYS[key].valid));
        expect((await page(list, forgedCursor(wellFormed))).errors).toBeUndefined();

        const answers = [];
        for (const json of forgedCursors(list.keys)) {
          const { errors } = await page(list, json === 'not a cursor' ? json : forgedCursor(json));
          answers.push({
            cursor: json,
            errors: errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })),
          });
        }
        expect(answers).toEqual(
          answers.map(({ cursor }) => ({
            cursor,
            errors: [{ code: 'BAD_USER_INPUT', field: 'after' }],
          })),
        );
      },
    );
  });
});
