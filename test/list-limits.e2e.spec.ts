import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { readFile } from 'node:fs/promises';
import { QUERY_LIMITS } from '../src/common/graphql/query-limits.js';
import { MAX_PNL_WEEKS } from '../src/modules/budget/pnl.js';
import {
  MAX_LEADS_PER_TEAM,
  MAX_TEAMS_PER_EMPLOYEE,
} from '../src/modules/employee/employee-limits.js';
import { MAX_SKILLS_PER_EMPLOYEE } from '../src/modules/employee/dto/create-employee.input.js';
import { DEFAULT_SKILLS_SHOWN } from '../src/modules/employee/dto/employees.args.js';
import { MAX_PLEDGES_PER_IDEA } from '../src/modules/idea/idea-limits.js';
import {
  MAX_INITIATIVE_MEMBERS,
  MAX_METRICS_PER_INITIATIVE,
  MAX_MILESTONES_PER_INITIATIVE,
} from '../src/modules/initiative/initiative-limits.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const SCHEMA_FILE = new URL('../schema.gql', import.meta.url);

type Field = GraphQLField<unknown, unknown>;
interface OwnedField {
  owner: GraphQLNamedType;
  field: Field;
}

const nameOf = ({ owner, field }: OwnedField) => `${owner.name}.${field.name}`;

function fieldsOf(schema: GraphQLSchema): OwnedField[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((owner) =>
      isObjectType(owner) || isInterfaceType(owner)
        ? Object.values(owner.getFields()).map((field) => ({ owner, field }))
        : [],
    );
}

const isConnection = (type: GraphQLNamedType) =>
  isObjectType(type) && type.name.endsWith('Connection') && 'nodes' in type.getFields();

/**
 * Fields that return many items: lists and connections, but not a connection's own `edges`
 * and `nodes`, which hold the page its field's `first` asked for.
 */
const returnsMany = ({ owner, field }: OwnedField): boolean =>
  isConnection(owner) && (field.name === 'edges' || field.name === 'nodes')
    ? false
    : isListType(getNullableType(field.type)) || isConnection(getNamedType(field.type));

const firstOf = (field: Field) => field.args.find((arg) => arg.name === 'first');

/** "At most N" in the `first` argument's description or, without one, "At most N." in the field's. */
function documentedMaximum(field: Field): number | undefined {
  const first = firstOf(field);
  const match = first
    ? /\bat most (\d+)/i.exec(first.description ?? '')
    : /\bAt most (\d+)\./.exec(field.description ?? '');
  return match ? Number(match[1]) : undefined;
}

/** What the cost analysis prices the field's items at: its `maxItems` extension, or the page cap. */
function pricedMaximum(field: Field): number | undefined {
  const { maxItems } = field.extensions as { maxItems?: unknown };
  if (typeof maxItems === 'number') return maxItems;
  return firstOf(field) ? QUERY_LIMITS.maxPage : undefined;
}

/** A refusal of one more item: the code, the offending input, and nothing else. */
function expectRefusedAtMaximum(response: GraphQLResponse, field: string): void {
  expect(codes(response)).toEqual(['CONFLICT']);
  expect(response.errors?.[0].extensions?.field).toBe(field);
  expect(response.errors?.[0].message).toMatch(/the most/);
}

describe('List fields and their maxima', () => {
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;
  let committed: GraphQLSchema;
  let running: GraphQLSchema;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    ideas = new Ideas(sut);
    committed = buildSchema(await readFile(SCHEMA_FILE, 'utf8'));
    running = sut.app.get(GraphQLSchemaHost).schema;
  });
  afterAll(() => sut.close());

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await sut.dataSource.query(sql, params))[0].count as number;

  const runningField = ({ owner, field }: OwnedField): Field => {
    const type = running.getType(owner.name);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) throw new Error(owner.name);
    return type.getFields()[field.name];
  };

  it('pages every list with a capped first, or documents its maximum in schema.gql', () => {
    const unbounded = fieldsOf(committed)
      .filter((f) => returnsMany(f) && documentedMaximum(f.field) === undefined)
      .map(nameOf);
    expect(unbounded).toEqual([]);
  });

  it('prices each list at the maximum schema.gql documents for it', () => {
    const drifted = fieldsOf(committed)
      .filter((f) => returnsMany(f) || firstOf(f.field))
      .flatMap((f) => {
        const documented = documentedMaximum(f.field);
        const priced = pricedMaximum(runningField(f));
        return documented === priced
          ? []
          : [`${nameOf(f)}: documented ${documented}, priced ${priced}`];
      });
    expect(drifted).toEqual([]);
  });

  it('sizes a list paged by its parent from a first capped at the same maximum', () => {
    const paged = fieldsOf(running).filter(
      ({ field }) => (field.extensions as { sizeFromParentFirst?: boolean }).sizeFromParentFirst,
    );
    const mismatched = paged.flatMap((list) => {
      const parents = fieldsOf(running).filter(
        ({ field }) => getNamedType(field.type) === list.owner,
      );
      return parents
        .filter(
          ({ field }) => !firstOf(field) || pricedMaximum(field) !== pricedMaximum(list.field),
        )
        .map((parent) => `${nameOf(list)} under ${nameOf(parent)}`);
    });
    expect(mismatched).toEqual([]);
  });

  /** An active initiative owned by a fresh proposer: its id and owner. */
  async function initiative(): Promise<{ id: string; owner: Person }> {
    const sponsor = await factory.team({ credits: 1_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const owner = await factory.person();
    const id = await ideas.initiative(owner, sponsor, lead, [{ lead, team: sponsor, amount: 100 }]);
    return { id, owner };
  }

  describe('maxima the domain enforces', () => {
    const ADD_MILESTONE = `mutation($id: ID!, $title: String!) {
      addMilestone(input: { initiativeId: $id, title: $title }) { milestone { id } } }`;
    const DEFINE_METRIC = `mutation($id: ID!, $name: String!) { defineOutcomeMetric(input: {
      initiativeId: $id, name: $name, baseline: 0, target: 10, direction: HIGHER_IS_BETTER }) { metric { id } } }`;
    const JOIN = `mutation($id: ID!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: 1 }) {
      membership { hoursPerWeek } } }`;
    const ADD_MEMBER = `mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { membership { role } } }`;

    it("never lets an initiative's milestones pass their maximum, however many are added at once", async () => {
      const { id, owner } = await initiative();
      const results = await Promise.all(
        Array.from({ length: MAX_MILESTONES_PER_INITIATIVE + 10 }, (_, i) =>
          sut.gql(ADD_MILESTONE, { id, title: `Milestone ${i}` }, owner.token),
        ),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(MAX_MILESTONES_PER_INITIATIVE);
      for (const refused of results.filter((r) => r.errors))
        expectRefusedAtMaximum(refused, 'input.initiativeId');
      expect(
        await count(`SELECT count(*)::int AS count FROM milestone WHERE initiative_id = $1`, [id]),
      ).toBe(MAX_MILESTONES_PER_INITIATIVE);
      expect(
        await count(
          `SELECT count(*)::int AS count FROM event WHERE subject_id = $1 AND action = 'initiative.addMilestone'`,
          [id],
        ),
      ).toBe(MAX_MILESTONES_PER_INITIATIVE);
    });

    it("refuses an outcome metric past an initiative's maximum and changes nothing", async () => {
      const { id, owner } = await initiative();
      for (let i = 0; i < MAX_METRICS_PER_INITIATIVE; i++)
        expectOk(await sut.gql(DEFINE_METRIC, { id, name: `Metric ${i}` }, owner.token));
      const refused = await sut.gql(DEFINE_METRIC, { id, name: 'One too many' }, owner.token);
      expectRefusedAtMaximum(refused, 'input.initiativeId');
      expect(
        await count(`SELECT count(*)::int AS count FROM outcome_metric WHERE initiative_id = $1`, [
          id,
        ]),
      ).toBe(MAX_METRICS_PER_INITIATIVE);
      expect(
        await count(
          `SELECT count(*)::int AS count FROM event WHERE subject_id = $1 AND action = 'initiative.defineMetric'`,
          [id],
        ),
      ).toBe(MAX_METRICS_PER_INITIATIVE);
    });

    it("refuses a member past an initiative's maximum, leaving their hours free", async () => {
      const { id, owner } = await initiative();
      // The owner and enough people to fill it, inserted in one statement with no hours.
      await sut.dataSource.query(
        `WITH people AS (
           INSERT INTO employee (name, email, password_hash, home_team_id)
           SELECT 'Member ' || i, 'member-' || i || '-' || $1::text || '@example.test', 'x', e.home_team_id
             FROM generate_series(2, $2::int) AS i, employee e WHERE e.id = $3
           RETURNING id
         )
         INSERT INTO initiative_member (initiative_id, employee_id, hours_per_week) SELECT $1::uuid, id, 0 FROM people`,
        [id, MAX_INITIATIVE_MEMBERS, owner.employee.id],
      );
      const latecomer = await factory.person();
      const refused = await sut.gql(JOIN, { id }, latecomer.token);
      expectRefusedAtMaximum(refused, 'input.initiativeId');
      const [after] = await sut.dataSource.query(
        `SELECT (SELECT count(*)::int FROM initiative_member WHERE initiative_id = $1 AND left_at IS NULL) AS members,
                (SELECT committed_hours_per_week FROM employee WHERE id = $2) AS committed`,
        [id, latecomer.employee.id],
      );
      expect(after).toEqual({ members: MAX_INITIATIVE_MEMBERS, committed: 0 });
      // A member may still change their hours; once someone leaves, the latecomer gets in.
      expectOk(await sut.gql(JOIN, { id }, owner.token));
      expectOk(
        await sut.gql(
          `mutation($id: ID!) { leaveInitiative(input: { initiativeId: $id }) { initiative { id } } }`,
          { id },
          owner.token,
        ),
      );
      expectOk(await sut.gql(JOIN, { id }, latecomer.token));
    });

    it("never lets an idea's pledges pass their maximum, however many race, nor moves their credits", async () => {
      const team = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ team, leads: [team] });
      const ideaId = await ideas.submitted(await factory.person(), team, 1_000);
      const results = await Promise.all(
        Array.from({ length: MAX_PLEDGES_PER_IDEA + 10 }, () =>
          ideas.pledge(lead, ideaId, team.id, 1),
        ),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(MAX_PLEDGES_PER_IDEA);
      for (const refused of results.filter((r) => r.errors))
        expectRefusedAtMaximum(refused, 'input.ideaId');
      const [idea] = await sut.dataSource.query(
        `SELECT i.pledged_total::int AS pledged, a.balance::int AS escrow,
                (SELECT count(*)::int FROM pledge WHERE idea_id = i.id) AS pledges
           FROM idea i JOIN account a ON a.id = i.escrow_account_id WHERE i.id = $1`,
        [ideaId],
      );
      expect(idea).toEqual({
        pledged: MAX_PLEDGES_PER_IDEA,
        escrow: MAX_PLEDGES_PER_IDEA,
        pledges: MAX_PLEDGES_PER_IDEA,
      });
      const probe = new LedgerProbe(sut.dataSource);
      expect(await probe.teamBalance(team.id)).toBe(1_000 - MAX_PLEDGES_PER_IDEA);
      expect(await probe.sumOfBalances()).toBe(0);
    });

    it("refuses a lead past a team's maximum, but not a member or a lead already there", async () => {
      const admin = await factory.admin();
      const team = await factory.team();
      const leads: Person[] = [];
      for (let i = 0; i < MAX_LEADS_PER_TEAM; i++)
        leads.push(await factory.person({ team, leads: [team] }));
      const newcomer = await factory.person();
      const add = (employeeId: string, role: string) =>
        sut.gql(ADD_MEMBER, { input: { teamId: team.id, employeeId, role } }, admin.token);
      expectRefusedAtMaximum(await add(newcomer.employee.id, 'LEAD'), 'input.teamId');
      expect(
        await count(
          `SELECT count(*)::int AS count FROM team_membership WHERE team_id = $1 AND role = 'LEAD'`,
          [team.id],
        ),
      ).toBe(MAX_LEADS_PER_TEAM);
      expectOk(await add(newcomer.employee.id, 'MEMBER'));
      expectOk(await add(leads[0].employee.id, 'LEAD'));
    });

    it("refuses a team past a person's maximum, but not a new role in a team they are in", async () => {
      const admin = await factory.admin();
      const person = await factory.person(); // a member of their home team
      const add = (teamId: string, role = 'MEMBER') =>
        sut.gql(
          ADD_MEMBER,
          { input: { teamId, employeeId: person.employee.id, role } },
          admin.token,
        );
      let lastTeam = '';
      for (let i = 1; i < MAX_TEAMS_PER_EMPLOYEE; i++) {
        lastTeam = (await factory.team()).id;
        expectOk(await add(lastTeam));
      }
      const oneMore = await factory.team();
      expectRefusedAtMaximum(await add(oneMore.id), 'input.employeeId');
      expect(
        await count(`SELECT count(*)::int AS count FROM team_membership WHERE employee_id = $1`, [
          person.employee.id,
        ]),
      ).toBe(MAX_TEAMS_PER_EMPLOYEE);
      expectOk(await add(lastTeam, 'LEAD'));
    });
  });

  describe('lists that are paged or bounded by their arguments', () => {
    it("pages an engagement's time logs, oldest first", async () => {
      const market = new Market(sut, factory);
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 4, weeks: 2 });
      const engagementId = await market.engage(lead, await market.bid(worker, needId, 4, 10));
      const logged: string[] = [];
      for (let i = 0; i < 3; i++) {
        const log = await market.logTime(worker, engagementId, 1);
        expectOk(log);
        logged.push(log.data!.logTime.timeLog.id);
      }
      const page = (after: string | null) =>
        sut.gql(
          `query($id: ID!, $after: String) { engagement(id: $id) { timeLogs(first: 2, after: $after) {
            totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`,
          { id: engagementId, after },
          worker.token,
        );
      const first = (await page(null)).data!.engagement.timeLogs;
      expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
      const second = (await page(first.pageInfo.endCursor)).data!.engagement.timeLogs;
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect([...first.nodes, ...second.nodes].map((n: { id: string }) => n.id)).toEqual(logged);
    });

    it("pages the P&L's teams by name", async () => {
      const admin = await factory.admin();
      // Other test files add teams meanwhile: every team there before paging began must come
      // back once, in order (teams are never deleted).
      const existing = (await sut.dataSource.query(`SELECT name FROM team`)) as { name: string }[];
      const names: string[] = [];
      let after: string | null = null;
      do {
        const result: GraphQLResponse = await sut.gql(
          `query($after: String) { teamPnl { teams(first: 50, after: $after) {
            totalCount nodes { name } pageInfo { hasNextPage endCursor } } } }`,
          { after },
          admin.token,
        );
        expectOk(result);
        const teams = result.data!.teamPnl.teams;
        expect(teams.nodes.length).toBeLessThanOrEqual(50);
        names.push(...teams.nodes.map((t: { name: string }) => t.name));
        after = teams.pageInfo.hasNextPage ? teams.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const paged = new Set(names);
      expect(existing.filter(({ name }) => !paged.has(name))).toEqual([]);
    });

    it('refuses a P&L period longer than its weekly series holds, and takes two calendar years', async () => {
      const lead = await factory.lead();
      const pnl = (period: unknown) =>
        sut.gql(
          `query($period: DateRange) { teamPnl(period: $period) { weekly { week } } }`,
          { period },
          lead.token,
        );
      const ledger = (period: unknown) =>
        sut.gql(
          `query($id: ID!, $period: DateRange) { teamLedger(teamId: $id, period: $period) { weekly { week } } }`,
          { id: lead.team.id, period },
          lead.token,
        );
      const tooLong = { from: '2024-01-01', to: '2026-12-31' };
      for (const refused of [await pnl(tooLong), await ledger(tooLong)]) {
        expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
        expect(refused.errors![0].extensions?.field).toBe('period');
      }
      const twoYears = { from: '2027-01-01', to: '2028-12-31' }; // 731 days over 106 weeks
      expectOk(await pnl(twoYears));
      expectOk(await ledger(twoYears));
      const allTime = await pnl(null);
      expectOk(allTime);
      expect(allTime.data!.teamPnl.weekly.length).toBeLessThanOrEqual(MAX_PNL_WEEKS);
    });

    it("shows a person's strongest skills, all of them when asked, never more than anyone holds", async () => {
      const skills = Array.from({ length: DEFAULT_SKILLS_SHOWN + 2 }, (_, i) => ({
        name: `Skill ${i} of ${Math.random()}`,
        level: 1 + (i % 5),
      }));
      const person = await factory.person({ skills });
      const query = (first?: number) =>
        first === undefined
          ? sut.gql(`{ me { skills { level } } }`, {}, person.token)
          : sut.gql(
              `query($first: Int!) { me { skills(first: $first) { level } } }`,
              { first },
              person.token,
            );
      const shown = (await query()).data!.me.skills.map((s: { level: number }) => s.level);
      expect(shown).toHaveLength(DEFAULT_SKILLS_SHOWN);
      expect(shown).toEqual([...shown].sort((a, b) => b - a));
      expect((await query(MAX_SKILLS_PER_EMPLOYEE)).data!.me.skills).toHaveLength(skills.length);
      const tooMany = await query(MAX_SKILLS_PER_EMPLOYEE + 1);
      expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
      expect(tooMany.errors![0].extensions?.field).toBe('first');
    });
  });
});
