import { randomUUID } from 'node:crypto';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('Input validation', () => {
  let sut: TestApp;
  let admin: Person;
  let team: TeamEntity;
  let probe: LedgerProbe;

  beforeAll(async () => {
    sut = await startTestApp();
    const factory = new Factory(sut);
    admin = await factory.admin();
    team = await factory.team();
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(() => sut.close());

  const CREATE_EMPLOYEE = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id } } }`;
  const employeeInput = (overrides: Record<string, unknown> = {}) => ({
    name: 'Valid Name',
    email: `${randomUUID()}@example.test`,
    password: 'long-enough-password',
    homeTeamId: team.id,
    ...overrides,
  });

  /** Sends the operation as admin and expects BAD_USER_INPUT on `field`, with no write at all. */
  async function expectRefused(
    query: string,
    variables: Record<string, unknown>,
    field: string,
  ): Promise<void> {
    const eventsBefore = await probe.eventsBy(admin.employee.id);
    const result = await sut.gql(query, variables, admin.token);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(result.errors![0].message).toContain(field.split('.').at(-1)!);
    expect(JSON.stringify(result)).not.toMatch(/stack|SELECT|INSERT|at .*\.js/);
    expect(await probe.eventsBy(admin.employee.id)).toBe(eventsBefore);
  }

  async function employeesWithEmail(email: unknown): Promise<number> {
    const [{ count }] = await sut.dataSource.query(
      `SELECT count(*)::int AS count FROM employee WHERE email = $1`,
      [email],
    );
    return count;
  }

  it('refuses an empty or blank name', async () => {
    const input = employeeInput({ name: '   ' });
    await expectRefused(CREATE_EMPLOYEE, { input }, 'input.name');
    expect(await employeesWithEmail(input.email)).toBe(0);
    await expectRefused(
      `mutation { createTeam(input: { name: "" }) { team { id } } }`,
      {},
      'input.name',
    );
  });

  it('refuses a 10 000-character name', async () => {
    const input = employeeInput({ name: 'x'.repeat(10_000) });
    await expectRefused(CREATE_EMPLOYEE, { input }, 'input.name');
    expect(await employeesWithEmail(input.email)).toBe(0);
    await expectRefused(
      `mutation($name: String!) { createTeam(input: { name: $name }) { team { id } } }`,
      { name: 'y'.repeat(10_000) },
      'input.name',
    );
  });

  it('refuses text PostgreSQL cannot hold as sent: NUL characters and lone surrogates', async () => {
    const team = `mutation($name: String!) { createTeam(input: { name: $name, purpose: "p" }) { team { id } } }`;
    await expectRefused(team, { name: 'a\u0000b' }, 'input.name');
    await expectRefused(team, { name: 'broken \ud800 text' }, 'input.name');
    const login = await sut.gql(
      `mutation { login(input: { email: "\\u0000", password: "whatever" }) { token } }`,
    );
    expect(login.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.email' });
  });

  it('refuses a negative weekly capacity', async () => {
    const input = employeeInput({ weeklyCapacityHours: -1 });
    await expectRefused(CREATE_EMPLOYEE, { input }, 'input.weeklyCapacityHours');
    expect(await employeesWithEmail(input.email)).toBe(0);
  });

  it('refuses a skill level of 7, naming the skill entry', async () => {
    const input = employeeInput({
      skills: [
        { name: 'Research', level: 3 },
        { name: 'Phone Support', level: 7 },
      ],
    });
    await expectRefused(CREATE_EMPLOYEE, { input }, 'input.skills.1.level');
    expect(await employeesWithEmail(input.email)).toBe(0);
  });

  it('refuses the same skill twice in one set, however it is spelt', async () => {
    await expectRefused(
      `mutation($id: ID!) { setEmployeeSkills(input: { employeeId: $id, skills: [{ name: "Data  Analysis", level: 2 }, { name: "data analysis", level: 3 }] }) { employee { id } } }`,
      { id: admin.employee.id },
      'input.skills.1.name',
    );
  });

  it('refuses unknown input fields, in variables and in the query text', async () => {
    const input = { ...employeeInput(), favouriteColour: 'teal' };
    await expectRefused(CREATE_EMPLOYEE, { input }, 'input.favouriteColour');
    expect(await employeesWithEmail(input.email)).toBe(0);
    // Named by its path from the argument, as when it is sent in a variable.
    await expectRefused(
      `mutation { createTeam(input: { name: "Ok", colour: "red" }) { team { id } } }`,
      {},
      'input.colour',
    );
  });

  it('refuses a malformed e-mail, a short password and an id that is not a UUID', async () => {
    await expectRefused(
      CREATE_EMPLOYEE,
      { input: employeeInput({ email: 'not-an-email' }) },
      'input.email',
    );
    await expectRefused(
      CREATE_EMPLOYEE,
      { input: employeeInput({ password: 'short' }) },
      'input.password',
    );
    await expectRefused(
      CREATE_EMPLOYEE,
      { input: employeeInput({ homeTeamId: 'team-1' }) },
      'input.homeTeamId',
    );
    await expectRefused(`{ employee(id: "42") { id } }`, {}, 'id');
  });

  it('refuses a page size over 100 and a cursor from nowhere', async () => {
    await expectRefused(`{ teams(first: 101) { totalCount } }`, {}, 'first');
    await expectRefused(`{ teams(after: "bogus") { totalCount } }`, {}, 'after');
  });

  it('refuses a fractional or oversized credit amount', async () => {
    const allocate = `mutation($amount: Credits!) { allocateCredits(input: { teamId: "${team.id}", amount: $amount }) { team { id } } }`;
    const before = await probe.teamBalance(team.id);
    const fractional = await sut.gql(allocate, { amount: 1.5 }, admin.token);
    expect(fractional.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    await expectRefused(allocate, { amount: 0 }, 'input.amount');
    await expectRefused(allocate, { amount: 10_000_000_000 }, 'input.amount');
    expect(await probe.teamBalance(team.id)).toBe(before);
  });

  it('answers a unique clash with CONFLICT naming the field, not with SQL', async () => {
    const result = await sut.gql(
      `mutation($name: String!) { createTeam(input: { name: $name }) { team { id } } }`,
      { name: team.name.toUpperCase() },
      admin.token,
    );
    expect(result.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'input.name' });
    expect(result.errors![0].message).not.toMatch(/duplicate key|constraint/i);
  });

  it('answers an unknown team with NOT_FOUND', async () => {
    const result = await sut.gql(
      CREATE_EMPLOYEE,
      { input: employeeInput({ homeTeamId: randomUUID() }) },
      admin.token,
    );
    expect(result.errors![0].extensions).toEqual({ code: 'NOT_FOUND', field: 'input.homeTeamId' });
  });
});
