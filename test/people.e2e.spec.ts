import { randomUUID } from 'node:crypto';
import { Factory, LedgerProbe, TEST_PASSWORD, unique, type Person } from './support/factories.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';
import { AuthService } from '../src/modules/auth/auth.service.js';

describe('People, teams and skills', () => {
  let sut: TestApp;
  let factory: Factory;
  let admin: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    admin = await factory.admin();
  });
  afterAll(() => sut.close());

  const CREATE_TEAM = `mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name purpose balance memberCount } } }`;
  const CREATE_EMPLOYEE = `mutation($input: CreateEmployeeInput!) {
    createEmployee(input: $input) {
      employee {
        id name email title weeklyCapacityHours isAdmin
        homeTeam { id }
        memberships { role team { id } }
        skills { level skill { name } }
      }
    }
  }`;
  const ADD_MEMBER = `mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { membership { role team { id } employee { id } } } }`;

  it('creates a team with an empty budget and records who did it', async () => {
    const name = unique('Returns');
    const result = await sut.gql(
      CREATE_TEAM,
      { input: { name: `  ${name} `, purpose: 'Take things back' } },
      admin.token,
    );
    const team = result.data!.createTeam.team;
    expect(team).toMatchObject({ name, purpose: 'Take things back', balance: 0, memberCount: 0 });
    const [event] = await sut.dataSource.query(
      `SELECT actor_id, action, subject_type, payload FROM event WHERE subject_id = $1`,
      [team.id],
    );
    expect(event).toEqual({
      actor_id: admin.employee.id,
      action: 'team.create',
      subject_type: 'Team',
      payload: { name, purpose: 'Take things back' },
    });
  });

  it('creates an employee in their home team, with normalised skills, who can then sign in', async () => {
    const team = await factory.team();
    const email = `${randomUUID()}@Example.TEST`;
    const result = await sut.gql(
      CREATE_EMPLOYEE,
      {
        input: {
          name: 'Dana  Scully',
          email,
          title: 'Investigator',
          password: 'trust-no-one-1013',
          homeTeamId: team.id,
          weeklyCapacityHours: 6,
          skills: [
            { name: 'research', level: 5 },
            { name: '  Phone   support ', level: 2 },
          ],
        },
      },
      admin.token,
    );
    expect(result.errors).toBeUndefined();
    const employee = result.data!.createEmployee.employee;
    expect(employee).toMatchObject({
      name: 'Dana Scully',
      email: email.toLowerCase(),
      weeklyCapacityHours: 6,
      isAdmin: false,
      homeTeam: { id: team.id },
      memberships: [{ role: 'MEMBER', team: { id: team.id } }],
    });
    expect(employee.skills.map((s: any) => [s.skill.name.toLowerCase(), s.level])).toEqual([
      ['research', 5],
      ['phone support', 2],
    ]);
    const [skillRows] = await sut.dataSource.query(
      `SELECT count(*)::int AS count FROM skill WHERE normalized_name = 'phone support'`,
    );
    expect(skillRows.count).toBe(1);
    const login = await sut.gql(
      `mutation { login(input: { email: "${email}", password: "trust-no-one-1013" }) { employee { id } } }`,
    );
    expect(login.data!.login.employee.id).toBe(employee.id);
    const [{ password_hash }] = await sut.dataSource.query(
      `SELECT password_hash FROM employee WHERE id = $1`,
      [employee.id],
    );
    expect(password_hash).toMatch(/^\$argon2id\$/);
    const [event] = await sut.dataSource.query(`SELECT payload FROM event WHERE subject_id = $1`, [
      employee.id,
    ]);
    expect(JSON.stringify(event.payload)).not.toContain('trust-no-one');
  });

  it('refuses a second account for the same e-mail in another case', async () => {
    const person = await factory.person();
    const team = await factory.team();
    const result = await sut.gql(
      CREATE_EMPLOYEE,
      {
        input: {
          name: 'Twin',
          email: person.employee.email.toUpperCase(),
          password: TEST_PASSWORD,
          homeTeamId: team.id,
        },
      },
      admin.token,
    );
    expect(result.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'input.email' });
  });

  it('adds a member, then promotes them to lead; leads and members show it', async () => {
    const team = await factory.team();
    const person = await factory.person();
    const asMember = await sut.gql(
      ADD_MEMBER,
      { input: { teamId: team.id, employeeId: person.employee.id } },
      admin.token,
    );
    expect(asMember.data!.addTeamMember.membership).toEqual({
      role: 'MEMBER',
      team: { id: team.id },
      employee: { id: person.employee.id },
    });
    await sut.gql(
      ADD_MEMBER,
      { input: { teamId: team.id, employeeId: person.employee.id, role: 'LEAD' } },
      admin.token,
    );
    // The new role ends their sessions: they sign in again to act as a lead.
    expect(codes(await sut.gql(`{ me { id } }`, {}, person.token))).toEqual(['UNAUTHENTICATED']);
    person.token = (await sut.app.get(AuthService).tokenFor(person.employee.id)).token;
    const view = await sut.gql(
      `query($id: ID!) { team(id: $id) { memberCount leads { id } members { totalCount nodes { role employee { id } } } } }`,
      { id: team.id },
      person.token,
    );
    expect(view.data!.team).toEqual({
      memberCount: 1,
      leads: [{ id: person.employee.id }],
      members: { totalCount: 1, nodes: [{ role: 'LEAD', employee: { id: person.employee.id } }] },
    });
    // The new role takes effect on the next request: leads may read any team's books.
    const other = await factory.team({ credits: 5 });
    const books = await sut.gql(
      `query($id: ID!) { teamLedger(teamId: $id) { balance } }`,
      { id: other.id },
      person.token,
    );
    expect(books.data!.teamLedger.balance).toBe(5);
  });

  it('answers NOT_FOUND for a membership in a team or of a person that does not exist', async () => {
    const person = await factory.person();
    const team = await factory.team();
    const noTeam = await sut.gql(
      ADD_MEMBER,
      { input: { teamId: randomUUID(), employeeId: person.employee.id } },
      admin.token,
    );
    const noPerson = await sut.gql(
      ADD_MEMBER,
      { input: { teamId: team.id, employeeId: randomUUID() } },
      admin.token,
    );
    expect(noTeam.errors![0].extensions).toEqual({ code: 'NOT_FOUND', field: 'input.teamId' });
    expect(noPerson.errors![0].extensions).toEqual({
      code: 'NOT_FOUND',
      field: 'input.employeeId',
    });
  });

  it('finds employees by team, by skill and level, and by part of the name', async () => {
    const team = await factory.team();
    const skill = unique('Skill');
    const expert = await factory.person({ team, skills: [{ name: skill, level: 5 }] });
    const novice = await factory.person({ team, skills: [{ name: skill, level: 1 }] });
    const outsider = await factory.person({ skills: [{ name: skill, level: 4 }] });
    const find = async (filter: Record<string, unknown>) =>
      (
        await sut.gql(
          `query($filter: EmployeeFilter) { employees(filter: $filter, first: 100) { nodes { id } } }`,
          { filter },
          expert.token,
        )
      )
        .data!.employees.nodes.map((n: { id: string }) => n.id)
        .sort();
    expect(await find({ teamId: team.id })).toEqual(
      [expert.employee.id, novice.employee.id].sort(),
    );
    expect(await find({ skill: skill.toUpperCase(), minSkillLevel: 4 })).toEqual(
      [expert.employee.id, outsider.employee.id].sort(),
    );
    expect(await find({ teamId: team.id, skill, minSkillLevel: 2 })).toEqual([expert.employee.id]);
    expect(await find({ name: outsider.employee.name.slice(-8).toLowerCase() })).toEqual([
      outsider.employee.id,
    ]);
    expect(await find({ name: '%' })).toEqual([]);
  });

  it('tells people who they are and where they belong', async () => {
    const team = await factory.team();
    const lead = await factory.lead(team);
    const me = await sut.gql(
      `{ me { id homeTeam { id } memberships { role team { id } } } }`,
      {},
      lead.token,
    );
    expect(me.data!.me).toEqual({
      id: lead.employee.id,
      homeTeam: { id: team.id },
      memberships: [{ role: 'LEAD', team: { id: team.id } }],
    });
  });

  it('lists skills by name and filters them', async () => {
    const name = unique('Juggling');
    await factory.person({ skills: [{ name, level: 3 }] });
    const result = await sut.gql(
      `query($name: String) { skills(filter: { name: $name }) { totalCount nodes { name } } }`,
      { name: name.toLowerCase() },
      admin.token,
    );
    expect(result.data!.skills).toEqual({ totalCount: 1, nodes: [{ name }] });
  });

  it('replaces the whole set of skills, recording the change', async () => {
    const person = await factory.person({ skills: [{ name: 'Research', level: 2 }] });
    const eventsBefore = await new LedgerProbe(sut.dataSource).eventsBy(admin.employee.id);
    const result = await sut.gql(
      `mutation($id: ID!) { setEmployeeSkills(input: { employeeId: $id, skills: [{ name: "SQL", level: 4 }] }) { employee { skills { level skill { name } } } } }`,
      { id: person.employee.id },
      admin.token,
    );
    expect(result.data!.setEmployeeSkills.employee.skills).toEqual([
      { level: 4, skill: { name: 'SQL' } },
    ]);
    expect(await new LedgerProbe(sut.dataSource).eventsBy(admin.employee.id)).toBe(
      eventsBefore + 1,
    );
  });

  it('answers NOT_FOUND for an employee or team that does not exist', async () => {
    expect(
      codes(await sut.gql(`{ employee(id: "${randomUUID()}") { id } }`, {}, admin.token)),
    ).toEqual(['NOT_FOUND']);
    expect(codes(await sut.gql(`{ team(id: "${randomUUID()}") { id } }`, {}, admin.token))).toEqual(
      ['NOT_FOUND'],
    );
  });

  it('lets admins read the audit log, newest first, filtered', async () => {
    const team = await factory.team();
    await sut.gql(
      `mutation($input: AllocateCreditsInput!) { allocateCredits(input: $input) { team { id } } }`,
      { input: { teamId: team.id, amount: 5 } },
      admin.token,
    );
    const result = await sut.gql(
      `query($id: ID!) { auditLog(filter: { subjectId: $id }) { totalCount nodes { action subjectType payload actor { id } } } }`,
      { id: team.id },
      admin.token,
    );
    expect(result.data!.auditLog.totalCount).toBe(2);
    expect(result.data!.auditLog.nodes.map((n: any) => [n.action, n.actor?.id ?? null])).toEqual([
      ['ledger.allocate', admin.employee.id],
      ['team.create', null],
    ]);
    const byAction = await sut.gql(
      `query($actor: ID!) { auditLog(filter: { actorId: $actor, action: "ledger.allocate" }) { nodes { subjectId } } }`,
      { actor: admin.employee.id },
      admin.token,
    );
    expect(byAction.data!.auditLog.nodes).toEqual([{ subjectId: team.id }]);
  });
});
