import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock/clock.js';
import { findViolations } from '../src/database/invariants.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

/**
 * Issue 14, "joiners and movers": admins change people and teams. The move test works over two
 * weeks, so the suite moves the clock (`now`, real time when unset) on a database of its own.
 */
describe('People change', () => {
  let database: OwnDatabase;
  let now: Date | undefined;
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let probe: LedgerProbe;
  let admin: Person;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({}, database.url);
    const clock = sut.app.get(Clock);
    const realNow = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => now ?? realNow());
    factory = new Factory(sut);
    market = new Market(sut, factory);
    probe = new LedgerProbe(sut.dataSource);
    admin = await factory.admin();
  });
  afterEach(async () => {
    now = undefined;
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  const UPDATE = `mutation($input: UpdateEmployeeInput!) {
    updateEmployee(input: $input) { employee { id name email title weeklyCapacityHours committedHoursPerWeek } }
  }`;
  const MOVE = `mutation($input: MoveEmployeeInput!) {
    moveEmployee(input: $input) { employee { id homeTeam { id } memberships { role team { id } } } }
  }`;

  const refusal = (result: GraphQLResponse) => result.errors?.[0]?.extensions;
  const row = async (employeeId: string) =>
    (
      await sut.dataSource.query(
        `SELECT name, email, title, weekly_capacity_hours, committed_hours_per_week, home_team_id,
                (SELECT count(*)::int FROM event WHERE subject_id = $1) AS events,
                (SELECT count(*)::int FROM team_membership WHERE employee_id = $1) AS teams
           FROM employee WHERE id = $1`,
        [employeeId],
      )
    )[0] as Record<string, unknown>;
  const eventsOf = (subjectId: string, action: string) =>
    sut.dataSource.query(
      `SELECT actor_id AS "actorId", payload FROM event WHERE subject_id = $1 AND action = $2`,
      [subjectId, action],
    ) as Promise<{ actorId: string; payload: Record<string, unknown> }[]>;

  /** A worker with `committed` hours a week engaged on another team's need. */
  async function engagedWorker(committed: number, capacity = 10) {
    const buyer = await market.buyer();
    const worker = await factory.person({ weeklyCapacityHours: capacity });
    const needId = await market.postNeed(buyer.lead, buyer.team, {
      hoursPerWeek: committed,
      weeks: 2,
    });
    const engagementId = await market.engage(
      buyer.lead,
      await market.bid(worker, needId, committed),
    );
    return { buyer, worker, needId, engagementId };
  }

  describe('updateEmployee', () => {
    it('changes the fields given, keeps the others, and audits each change from and to', async () => {
      const person = await factory.person({ weeklyCapacityHours: 8 });
      const email = `${randomUUID()}@Example.TEST`;
      const result = await sut.gql(
        UPDATE,
        {
          input: {
            employeeId: person.employee.id,
            name: ' Fox  Mulder ',
            email,
            weeklyCapacityHours: 12,
          },
        },
        admin.token,
      );
      expectOk(result);
      expect(result.data!.updateEmployee.employee).toMatchObject({
        name: 'Fox Mulder',
        email: email.toLowerCase(),
        title: 'Tester',
        weeklyCapacityHours: 12,
      });
      expect(await eventsOf(person.employee.id, 'employee.update')).toEqual([
        {
          actorId: admin.employee.id,
          payload: {
            name: { from: person.employee.name, to: 'Fox Mulder' },
            email: { from: person.employee.email, to: email.toLowerCase() },
            weeklyCapacityHours: { from: 8, to: 12 },
          },
        },
      ]);
    });

    it("refuses another person's e-mail (CONFLICT on input.email) and changes nothing", async () => {
      const person = await factory.person();
      const other = await factory.person();
      const before = await row(person.employee.id);
      const result = await sut.gql(
        UPDATE,
        {
          input: {
            employeeId: person.employee.id,
            name: 'Someone Else',
            email: other.employee.email.toUpperCase(),
          },
        },
        admin.token,
      );
      expect(refusal(result)).toEqual({ code: 'CONFLICT', field: 'input.email' });
      expect(await row(person.employee.id)).toEqual(before);
    });

    it('refuses a capacity below the committed hours (CAPACITY_EXCEEDED on input.weeklyCapacityHours)', async () => {
      const { worker } = await engagedWorker(6);
      const before = await row(worker.employee.id);
      const result = await sut.gql(
        UPDATE,
        { input: { employeeId: worker.employee.id, title: 'Lead', weeklyCapacityHours: 5 } },
        admin.token,
      );
      expect(refusal(result)).toEqual({
        code: 'CAPACITY_EXCEEDED',
        field: 'input.weeklyCapacityHours',
      });
      expect(await row(worker.employee.id)).toEqual(before);

      const exact = await sut.gql(
        UPDATE,
        { input: { employeeId: worker.employee.id, weeklyCapacityHours: 6 } },
        admin.token,
      );
      expectOk(exact);
      expect(exact.data!.updateEmployee.employee).toMatchObject({
        weeklyCapacityHours: 6,
        committedHoursPerWeek: 6,
      });
    });

    it('refuses an unknown employee (NOT_FOUND on input.employeeId)', async () => {
      const result = await sut.gql(
        UPDATE,
        { input: { employeeId: randomUUID(), name: 'Nobody' } },
        admin.token,
      );
      expect(refusal(result)).toEqual({ code: 'NOT_FOUND', field: 'input.employeeId' });
    });

    it('is for admins only', async () => {
      const person = await factory.person();
      const result = await sut.gql(
        UPDATE,
        { input: { employeeId: person.employee.id, weeklyCapacityHours: 40 } },
        person.token,
      );
      expect(refusal(result)).toMatchObject({ code: 'FORBIDDEN' });
      expect((await row(person.employee.id)).weekly_capacity_hours).toBe(8);
    });
  });

  describe('moveEmployee', () => {
    it('pays hours logged before the move to the old team, and after it to the new one', async () => {
      now = new Date('2026-03-03T10:00:00Z'); // a Tuesday
      const { buyer, worker, engagementId } = await engagedWorker(5);
      const oldTeam = worker.employee.homeTeamId;
      const newTeam = await factory.team();

      expectOk(await market.logTime(worker, engagementId, 2));
      const moved = await sut.gql(
        MOVE,
        { input: { employeeId: worker.employee.id, homeTeamId: newTeam.id } },
        admin.token,
      );
      expectOk(moved);
      expect(moved.data!.moveEmployee.employee.homeTeam).toEqual({ id: newTeam.id });
      expect(moved.data!.moveEmployee.employee.memberships).toEqual(
        expect.arrayContaining([
          { role: 'MEMBER', team: { id: oldTeam } },
          { role: 'MEMBER', team: { id: newTeam.id } },
        ]),
      );
      now = new Date('2026-03-10T10:00:00Z'); // the next week
      expectOk(await market.logTime(worker, engagementId, 3));

      // Each week's approval pays its hours to the team they were logged for.
      expect(await market.approveWeek(buyer.lead, engagementId, '2026-03-03')).toBe(20);
      expect(await market.approveWeek(buyer.lead, engagementId, '2026-03-10')).toBe(30);
      expect(await probe.teamBalance(oldTeam)).toBe(20);
      expect(await probe.teamBalance(newTeam.id)).toBe(30);
      const payees = await sut.dataSource.query(
        `SELECT payee_team_id AS "teamId", hours, status FROM time_log WHERE engagement_id = $1 ORDER BY seq`,
        [engagementId],
      );
      expect(payees).toEqual([
        { teamId: oldTeam, hours: 2, status: 'APPROVED' },
        { teamId: newTeam.id, hours: 3, status: 'APPROVED' },
      ]);
      expect(await eventsOf(worker.employee.id, 'employee.move')).toEqual([
        {
          actorId: admin.employee.id,
          payload: { homeTeamId: { from: oldTeam, to: newTeam.id }, joinedTeam: true },
        },
      ]);
    });

    it('keeps the role of someone already in the new team', async () => {
      const lead = await factory.lead();
      const person = await factory.person({ leads: [lead.team] });
      const moved = await sut.gql(
        MOVE,
        { input: { employeeId: person.employee.id, homeTeamId: lead.team.id } },
        admin.token,
      );
      expectOk(moved);
      expect(moved.data!.moveEmployee.employee.memberships).toEqual(
        expect.arrayContaining([{ role: 'LEAD', team: { id: lead.team.id } }]),
      );
    });

    it('refuses an unknown team (NOT_FOUND on input.homeTeamId) and changes nothing', async () => {
      const person = await factory.person();
      const before = await row(person.employee.id);
      const result = await sut.gql(
        MOVE,
        { input: { employeeId: person.employee.id, homeTeamId: randomUUID() } },
        admin.token,
      );
      expect(refusal(result)).toEqual({ code: 'NOT_FOUND', field: 'input.homeTeamId' });
      expect(await row(person.employee.id)).toEqual(before);
    });
  });

  const SET_ROLE = `mutation($input: SetTeamMemberRoleInput!) {
    setTeamMemberRole(input: $input) { membership { role team { id } employee { id } } }
  }`;
  const REMOVE = `mutation($input: RemoveTeamMemberInput!) {
    removeTeamMember(input: $input) { employee { id memberships { role team { id } } } }
  }`;
  const membershipOf = async (teamId: string, employeeId: string) =>
    (
      await sut.dataSource.query(
        `SELECT role, created_at,
                (SELECT count(*)::int FROM event WHERE subject_id = $1) AS events
           FROM (SELECT 1) one LEFT JOIN team_membership ON team_id = $1 AND employee_id = $2`,
        [teamId, employeeId],
      )
    )[0] as Record<string, unknown>;

  describe('setTeamMemberRole', () => {
    it('promotes and demotes, auditing from and to; the same role again changes nothing', async () => {
      const { team } = await market.buyer();
      const person = await factory.person();
      expectOk(
        await sut.gql(
          `mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { membership { role } } }`,
          { input: { teamId: team.id, employeeId: person.employee.id } },
          admin.token,
        ),
      );
      const input = { teamId: team.id, employeeId: person.employee.id, role: 'LEAD' };
      const promoted = await sut.gql(SET_ROLE, { input }, admin.token);
      expectOk(promoted);
      expect(promoted.data!.setTeamMemberRole.membership).toEqual({
        role: 'LEAD',
        team: { id: team.id },
        employee: { id: person.employee.id },
      });
      // A role change ends the person's sessions: a token issued before it is refused.
      const stale = await sut.gql(`{ me { id } }`, {}, person.token);
      expect(refusal(stale)?.code).toBe('UNAUTHENTICATED');
      expectOk(await sut.gql(SET_ROLE, { input }, admin.token));
      expectOk(await sut.gql(SET_ROLE, { input: { ...input, role: 'MEMBER' } }, admin.token));
      const events = await sut.dataSource.query(
        `SELECT payload FROM event WHERE subject_id = $1 AND action = 'team.setMemberRole' ORDER BY seq`,
        [team.id],
      );
      expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
        { employeeId: person.employee.id, role: { from: 'MEMBER', to: 'LEAD' } },
        { employeeId: person.employee.id, role: { from: 'LEAD', to: 'MEMBER' } },
      ]);
    });

    it('refuses demoting the last lead of a team with an open need (CONFLICT on input.role)', async () => {
      const { team, lead } = await market.buyer();
      await market.postNeed(lead, team);
      const input = { teamId: team.id, employeeId: lead.employee.id, role: 'MEMBER' };
      const before = await membershipOf(team.id, lead.employee.id);
      const result = await sut.gql(SET_ROLE, { input }, admin.token);
      expect(refusal(result)).toEqual({ code: 'CONFLICT', field: 'input.role' });
      expect(await membershipOf(team.id, lead.employee.id)).toEqual(before);

      // With a second lead, the first may step down.
      await factory.person({ team, leads: [team] });
      expectOk(await sut.gql(SET_ROLE, { input }, admin.token));
    });

    it('lets the last lead of a team without open needs step down', async () => {
      const { team, lead } = await market.buyer();
      const input = { teamId: team.id, employeeId: lead.employee.id, role: 'MEMBER' };
      expectOk(await sut.gql(SET_ROLE, { input }, admin.token));
    });

    it('refuses someone not in the team (NOT_FOUND on input.employeeId)', async () => {
      const { team } = await market.buyer();
      const outsider = await factory.person();
      const input = { teamId: team.id, employeeId: outsider.employee.id, role: 'LEAD' };
      const result = await sut.gql(SET_ROLE, { input }, admin.token);
      expect(refusal(result)).toEqual({ code: 'NOT_FOUND', field: 'input.employeeId' });
      expect(await membershipOf(team.id, outsider.employee.id)).toMatchObject({ role: null });
    });
  });

  describe('removeTeamMember', () => {
    it('takes a lead out of a team; what they decided for it stays, and the removal is audited', async () => {
      const team = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ leads: [team] });
      await factory.person({ team, leads: [team] });
      const other = await factory.person();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1 });
      const engagementId = await market.engage(lead, await market.bid(other, needId, 2));

      const result = await sut.gql(
        REMOVE,
        { input: { teamId: team.id, employeeId: lead.employee.id } },
        admin.token,
      );
      expectOk(result);
      expect(result.data!.removeTeamMember.employee.memberships).toEqual([
        { role: 'MEMBER', team: { id: lead.employee.homeTeamId } },
      ]);
      expect(await membershipOf(team.id, lead.employee.id)).toMatchObject({ role: null });
      const [engagement] = await sut.dataSource.query(
        `SELECT g.status FROM engagement g WHERE g.id = $1`,
        [engagementId],
      );
      expect(engagement).toEqual({ status: 'ACTIVE' });
      expect(await eventsOf(team.id, 'team.removeMember')).toEqual([
        { actorId: admin.employee.id, payload: { employeeId: lead.employee.id, role: 'LEAD' } },
      ]);
    });

    it('refuses their home team (BAD_USER_INPUT on input.teamId) and changes nothing', async () => {
      const person = await factory.person();
      const teamId = person.employee.homeTeamId;
      const before = await membershipOf(teamId, person.employee.id);
      const result = await sut.gql(
        REMOVE,
        { input: { teamId, employeeId: person.employee.id } },
        admin.token,
      );
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.teamId' });
      expect(await membershipOf(teamId, person.employee.id)).toEqual(before);
    });

    it('refuses taking the last lead from a team with open needs (CONFLICT on input.employeeId)', async () => {
      const team = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ leads: [team] });
      await market.postNeed(lead, team);
      const before = await membershipOf(team.id, lead.employee.id);
      const result = await sut.gql(
        REMOVE,
        { input: { teamId: team.id, employeeId: lead.employee.id } },
        admin.token,
      );
      expect(refusal(result)).toEqual({ code: 'CONFLICT', field: 'input.employeeId' });
      expect(await membershipOf(team.id, lead.employee.id)).toEqual(before);
    });
  });

  const RENAME = `mutation($input: RenameTeamInput!) { renameTeam(input: $input) { team { id name } } }`;
  const TRANSFER = `mutation($input: TransferCreditsInput!) {
    transferCredits(input: $input) { transfer { id amount kind } from { id balance } to { id balance } }
  }`;
  const ARCHIVE = `mutation($input: ArchiveTeamInput!) { archiveTeam(input: $input) { team { id archivedAt } } }`;
  const teamRow = async (teamId: string) =>
    (
      await sut.dataSource.query(
        `SELECT t.name, t.archived_at, a.balance::int AS balance,
                (SELECT count(*)::int FROM event WHERE subject_id = t.id) AS events,
                (SELECT count(*)::int FROM need WHERE buyer_id = t.id AND status = 'OPEN') AS "openNeeds"
           FROM team t JOIN account a ON a.kind = 'TEAM' AND a.owner_id = t.id WHERE t.id = $1`,
        [teamId],
      )
    )[0] as Record<string, unknown>;

  describe('renameTeam', () => {
    it('renames, audited from and to; a name in use (any case) is CONFLICT on input.name', async () => {
      const team = await factory.team();
      const other = await factory.team();
      const name = `Renamed ${randomUUID().slice(0, 8)}`;
      const renamed = await sut.gql(RENAME, { input: { teamId: team.id, name } }, admin.token);
      expectOk(renamed);
      expect(renamed.data!.renameTeam.team).toEqual({ id: team.id, name });
      expect(await eventsOf(team.id, 'team.rename')).toEqual([
        { actorId: admin.employee.id, payload: { name: { from: team.name, to: name } } },
      ]);
      const before = await teamRow(team.id);
      const taken = await sut.gql(
        RENAME,
        { input: { teamId: team.id, name: other.name.toUpperCase() } },
        admin.token,
      );
      expect(refusal(taken)).toEqual({ code: 'CONFLICT', field: 'input.name' });
      expect(await teamRow(team.id)).toEqual(before);
    });
  });

  describe('transferCredits', () => {
    it('moves credits between teams through the ledger, once per idempotency key, audited', async () => {
      const from = await factory.team({ credits: 100 });
      const to = await factory.team();
      const input = {
        fromTeamId: from.id,
        toTeamId: to.id,
        amount: 60,
        reason: 'Merging budgets',
        idempotencyKey: randomUUID(),
      };
      const first = await sut.gql(TRANSFER, { input }, admin.token);
      expectOk(first);
      expect(first.data!.transferCredits).toMatchObject({
        transfer: { amount: 60, kind: 'ADMIN_TRANSFER' },
        from: { id: from.id, balance: 40 },
        to: { id: to.id, balance: 60 },
      });
      const again = await sut.gql(TRANSFER, { input }, admin.token);
      expect(again.data!.transferCredits.transfer.id).toBe(first.data!.transferCredits.transfer.id);
      expect(await probe.teamBalance(from.id)).toBe(40);
      expect(await eventsOf(from.id, 'ledger.transfer')).toEqual([
        {
          actorId: admin.employee.id,
          payload: {
            toTeamId: to.id,
            amount: 60,
            reason: 'Merging budgets',
            transferId: first.data!.transferCredits.transfer.id,
          },
        },
      ]);
    });

    it('refuses more than the paying team holds (INSUFFICIENT_FUNDS) and the same team (BAD_USER_INPUT)', async () => {
      const from = await factory.team({ credits: 10 });
      const to = await factory.team();
      const input = { fromTeamId: from.id, toTeamId: to.id, amount: 11, reason: 'Too much' };
      const tooMuch = await sut.gql(TRANSFER, { input }, admin.token);
      expect(refusal(tooMuch)).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      const same = await sut.gql(
        TRANSFER,
        { input: { ...input, toTeamId: from.id, amount: 1 } },
        admin.token,
      );
      expect(refusal(same)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.toTeamId' });
      expect(await teamRow(from.id)).toMatchObject({ balance: 10 });
      expect(await teamRow(to.id)).toMatchObject({ balance: 0 });
    });
  });

  describe('archiveTeam', () => {
    /** A team with a lead from elsewhere, an open need with escrow taken, and `credits` left. */
    async function busyTeam(credits: number) {
      const team = await factory.team({ credits: 50 + credits }); // 50 go into escrow
      const lead = await factory.person({ leads: [team] });
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team, {
        hoursPerWeek: 2,
        weeks: 5,
        ratePerHour: 10,
      });
      await market.engage(lead, await market.bid(worker, needId, 1));
      return { team, lead, worker, needId };
    }

    it('never leaves an open need on an archived team, however posting races archiving', async () => {
      const POST = `mutation($input: PostNeedInput!) { postNeed(input: $input) { need { id } } }`;
      for (let round = 0; round < 5; round++) {
        // Posting escrows nothing, so the team holds no credits and can be archived at once.
        const team = await factory.team();
        const lead = await factory.person({ leads: [team] });
        const post = () =>
          sut.gql(
            POST,
            {
              input: {
                buyerTeamId: team.id,
                title: 'Racing the archive',
                description: '',
                hoursPerWeek: 1,
                weeks: 1,
                ratePerHour: 10,
                requiredSkills: [],
              },
            },
            lead.token,
          );
        const results = await Promise.all([
          post(),
          sut.gql(ARCHIVE, { input: { teamId: team.id } }, admin.token),
          post(),
          post(),
        ]);
        const archive = results[1];
        expectOk(archive);
        for (const result of [results[0], results[2], results[3]]) {
          // Each post either went in before the archive (and was closed by it) or was refused.
          if (result.errors) expect(refusal(result)).toMatchObject({ code: 'CONFLICT' });
        }
        const open = await sut.dataSource.query(
          `SELECT id FROM need WHERE buyer_kind = 'TEAM' AND buyer_id = $1 AND status IN ('OPEN', 'FILLED')`,
          [team.id],
        );
        expect(open).toEqual([]);
      }
    });

    it('refuses a team holding credits, and a home team (CONFLICT on input.teamId), changing nothing', async () => {
      const { team } = await busyTeam(30);
      const before = await teamRow(team.id);
      const holding = await sut.gql(ARCHIVE, { input: { teamId: team.id } }, admin.token);
      expect(refusal(holding)).toEqual({ code: 'CONFLICT', field: 'input.teamId' });
      expect(await teamRow(team.id)).toEqual(before);

      const person = await factory.person();
      const home = person.employee.homeTeamId;
      const homeBefore = await teamRow(home);
      const homed = await sut.gql(ARCHIVE, { input: { teamId: home } }, admin.token);
      expect(refusal(homed)).toEqual({ code: 'CONFLICT', field: 'input.teamId' });
      expect(await teamRow(home)).toEqual(homeBefore);
    });

    it('once emptied, archives the team: its needs close with escrow returned, and it takes nothing new', async () => {
      const { team, lead, needId } = await busyTeam(30);
      const sink = await factory.team();
      expectOk(
        await sut.gql(
          TRANSFER,
          { input: { fromTeamId: team.id, toTeamId: sink.id, amount: 30, reason: 'Closing down' } },
          admin.token,
        ),
      );
      const archived = await sut.gql(ARCHIVE, { input: { teamId: team.id } }, admin.token);
      expectOk(archived);
      expect(archived.data!.archiveTeam.team.archivedAt).toEqual(expect.any(String));
      // The engagement's 50 credits of escrow came back to the (archived) team.
      expect(await teamRow(team.id)).toMatchObject({ balance: 50, openNeeds: 0 });
      const [need] = await sut.dataSource.query(`SELECT status FROM need WHERE id = $1`, [needId]);
      expect(need).toEqual({ status: 'CLOSED' });
      expect(await eventsOf(team.id, 'team.archive')).toEqual([
        { actorId: admin.employee.id, payload: { closedNeeds: [needId], escrowReturned: 50 } },
      ]);
      const shown = await sut.gql(
        `query($id: ID!) { team(id: $id) { archivedAt } }`,
        { id: team.id },
        admin.token,
      );
      expect(shown.data!.team.archivedAt).toBe(archived.data!.archiveTeam.team.archivedAt);

      // What reaches it afterwards can still be moved out, but nothing new comes in.
      expectOk(
        await sut.gql(
          TRANSFER,
          { input: { fromTeamId: team.id, toTeamId: sink.id, amount: 50, reason: 'Escrow back' } },
          admin.token,
        ),
      );
      const into = await sut.gql(
        TRANSFER,
        { input: { fromTeamId: sink.id, toTeamId: team.id, amount: 1, reason: 'No' } },
        admin.token,
      );
      expect(refusal(into)).toEqual({ code: 'CONFLICT', field: 'input.toTeamId' });
      const allocated = await sut.gql(
        `mutation($input: AllocateCreditsInput!) { allocateCredits(input: $input) { transfer { id } } }`,
        { input: { teamId: team.id, amount: 1 } },
        admin.token,
      );
      expect(refusal(allocated)).toEqual({ code: 'CONFLICT', field: 'input.teamId' });
      const post = await sut.gql(
        `mutation($input: PostNeedInput!) { postNeed(input: $input) { need { id } } }`,
        {
          input: {
            buyerTeamId: team.id,
            title: 'More help',
            description: '',
            hoursPerWeek: 1,
            weeks: 1,
            ratePerHour: 5,
            requiredSkills: [],
          },
        },
        lead.token,
      );
      expect(refusal(post)).toEqual({ code: 'CONFLICT', field: 'input.buyerTeamId' });
      const outsider = await factory.person();
      const join = await sut.gql(
        `mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { membership { role } } }`,
        { input: { teamId: team.id, employeeId: outsider.employee.id } },
        admin.token,
      );
      expect(refusal(join)).toEqual({ code: 'CONFLICT', field: 'input.teamId' });
      const move = await sut.gql(
        MOVE,
        { input: { employeeId: outsider.employee.id, homeTeamId: team.id } },
        admin.token,
      );
      expect(refusal(move)).toEqual({ code: 'CONFLICT', field: 'input.homeTeamId' });
      const bid = await market.placeBid(outsider, needId, 1, 10);
      expect(refusal(bid)).toEqual({ code: 'INVALID_TRANSITION' });
      expect(await teamRow(team.id)).toMatchObject({ balance: 0, openNeeds: 0 });
    });
  });
});
