import { jest } from '@jest/globals';
import { BearerAuthentication } from '../src/common/auth/bearer-authentication.js';
import { Clock } from '../src/common/clock/clock.js';
import { ErrorCode } from '../src/common/errors/error-code.js';
import { findViolations } from '../src/database/invariants.js';
import { BidService } from '../src/modules/market/bid.service.js';
import { Factory, LedgerProbe, TEST_PASSWORD, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 14, "leavers": an admin deactivates someone in one unit of work: sign-in and every token
 * refused, pending bids withdrawn, engagements ended (logged hours still reviewed and paid),
 * memberships ended, owned initiatives handed over. The review test moves the clock, so the suite
 * runs on a database of its own.
 */
describe('Leavers', () => {
  let database: OwnDatabase;
  let now: Date | undefined;
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;
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
    ideas = new Ideas(sut);
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

  const DEACTIVATE = `mutation($input: DeactivateEmployeeInput!) {
    deactivateEmployee(input: $input) { employee { id deactivatedAt committedHoursPerWeek } }
  }`;
  const REACTIVATE = `mutation($input: ReactivateEmployeeInput!) {
    reactivateEmployee(input: $input) { employee { id deactivatedAt } }
  }`;
  const LOGIN = `mutation($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) { token }
  }`;
  const JOIN = `mutation($input: JoinInitiativeInput!) { joinInitiative(input: $input) { membership { hoursPerWeek } } }`;

  const deactivate = (employeeId: string, successorId?: string, as: Person = admin) =>
    sut.gql(DEACTIVATE, { input: { employeeId, successorId } }, as.token);
  const login = (person: Person) =>
    sut.gql(LOGIN, { email: person.employee.email, password: TEST_PASSWORD });
  const committed = async (employeeId: string): Promise<number> =>
    (
      (await sut.dataSource.query(
        `SELECT committed_hours_per_week AS c FROM employee WHERE id = $1`,
        [employeeId],
      )) as { c: number }[]
    )[0].c;
  const eventOf = async (employeeId: string) =>
    (
      (await sut.dataSource.query(
        `SELECT actor_id AS "actorId", payload FROM event WHERE subject_id = $1 AND action = 'employee.deactivate'`,
        [employeeId],
      )) as { actorId: string; payload: Record<string, any> }[]
    )[0];

  /** An initiative owned by `owner`, sponsored by a team with a lead; its id, the sponsor lead. */
  async function initiativeOf(owner: Person) {
    const sponsor = await factory.team({ credits: 5_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const initiativeId = await ideas.initiative(owner, sponsor, lead, [
      { lead, team: sponsor, amount: 500 },
    ]);
    return { initiativeId, sponsor, lead };
  }

  it('refuses the old token and sign-in; reactivation restores sign-in only', async () => {
    const person = await factory.person();
    expectOk(await login(person));
    const draft = await ideas.propose(person, await factory.team(), 100);
    const result = await deactivate(person.employee.id);
    expectOk(result);
    expect(result.data!.deactivateEmployee.employee.deactivatedAt).toEqual(expect.any(String));

    expect(codes(await sut.gql(`{ me { id } }`, {}, person.token))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await login(person))).toEqual(['UNAUTHENTICATED']);
    // Their drafts stay private: not even an admin sees them.
    expect(
      codes(
        await sut.gql(`query($id: ID!) { idea(id: $id) { title } }`, { id: draft }, admin.token),
      ),
    ).toEqual(['NOT_FOUND']);
    // Nobody adds a deactivated person to a team.
    const team = await factory.team();
    expect(
      codes(
        await sut.gql(
          `mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { membership { role } } }`,
          { input: { teamId: team.id, employeeId: person.employee.id, role: 'MEMBER' } },
          admin.token,
        ),
      ),
    ).toEqual(['CONFLICT']);
    // Deactivating twice is refused: nothing left to do.
    expect(codes(await deactivate(person.employee.id))).toEqual(['INVALID_TRANSITION']);

    const back = await sut.gql(
      REACTIVATE,
      { input: { employeeId: person.employee.id } },
      admin.token,
    );
    expectOk(back);
    expect(back.data!.reactivateEmployee.employee.deactivatedAt).toBeNull();
    const signedIn = await login(person);
    expectOk(signedIn);
    expectOk(await sut.gql(`{ me { id } }`, {}, signedIn.data!.login.token as string));
    // The old token stays ended.
    expect(codes(await sut.gql(`{ me { id } }`, {}, person.token))).toEqual(['UNAUTHENTICATED']);
  });

  it('withdraws pending bids, ends engagements (logged hours still reviewed and paid) and returns the unlogged escrow', async () => {
    now = new Date('2031-03-05T10:00:00Z'); // a Wednesday
    const buyer = await market.buyer();
    const workerTeam = await factory.team();
    const worker = await factory.person({ team: workerTeam, weeklyCapacityHours: 10 });
    const engagedNeed = await market.postNeed(buyer.lead, buyer.team, {
      hoursPerWeek: 4,
      weeks: 2,
    });
    const engagementId = await market.engage(buyer.lead, await market.bid(worker, engagedNeed, 4));
    const pendingNeed = await market.postNeed(buyer.lead, buyer.team, {
      hoursPerWeek: 2,
      weeks: 1,
    });
    const bidId = await market.bid(worker, pendingNeed, 2);
    expectOk(await market.logTime(worker, engagementId, 3));
    expect(await committed(worker.employee.id)).toBe(4);
    const buyerBefore = await probe.teamBalance(buyer.team.id);

    const result = await deactivate(worker.employee.id);
    expectOk(result);
    expect(result.data!.deactivateEmployee.employee.committedHoursPerWeek).toBe(0);

    const [bid] = await sut.dataSource.query(`SELECT status FROM bid WHERE id = $1`, [bidId]);
    expect(bid.status).toBe('WITHDRAWN');
    const [engagement] = await sut.dataSource.query(
      `SELECT status, logged_hours AS logged FROM engagement WHERE id = $1`,
      [engagementId],
    );
    expect(engagement).toEqual({ status: 'ENDED', logged: 3 });
    // 8 hours at 10 escrowed, 3 logged and under review: the other 50 go back at once.
    expect(await probe.teamBalance(buyer.team.id)).toBe(buyerBefore + 50);

    // The logged hours are still reviewed as usual, and paid to the worker's home team.
    const paid = await market.approveWeek(buyer.lead, engagementId);
    expect(paid).toBe(30);
    expect(await probe.teamBalance(workerTeam.id)).toBe(30);

    const event = await eventOf(worker.employee.id);
    expect(event.actorId).toBe(admin.employee.id);
    expect(event.payload).toEqual(
      expect.objectContaining({
        withdrawnBids: [bidId],
        endedEngagements: [expect.objectContaining({ engagementId, returned: 50 })],
      }),
    );
  });

  it('ends memberships, freeing hours, and hands owned initiatives to the successor', async () => {
    const owner = await factory.person({ weeklyCapacityHours: 10 });
    const { initiativeId: owned } = await initiativeOf(owner);
    const elsewhere = await initiativeOf(await factory.person());
    expectOk(
      await sut.gql(
        JOIN,
        { input: { initiativeId: elsewhere.initiativeId, hoursPerWeek: 3 } },
        owner.token,
      ),
    );
    expectOk(await sut.gql(JOIN, { input: { initiativeId: owned, hoursPerWeek: 2 } }, owner.token));
    expect(await committed(owner.employee.id)).toBe(5);
    const successor = await factory.person();

    // A deactivated successor is refused.
    const gone = await factory.person();
    expectOk(await deactivate(gone.employee.id));
    expect(codes(await deactivate(owner.employee.id, gone.employee.id))).toEqual([
      'BAD_USER_INPUT',
    ]);

    expectOk(await deactivate(owner.employee.id, successor.employee.id));
    expect(await committed(owner.employee.id)).toBe(0);
    const [initiative] = await sut.dataSource.query(
      `SELECT owner_id AS "ownerId" FROM initiative WHERE id = $1`,
      [owned],
    );
    expect(initiative.ownerId).toBe(successor.employee.id);
    const current = await sut.dataSource.query(
      `SELECT count(*)::int AS n FROM initiative_member WHERE employee_id = $1 AND left_at IS NULL`,
      [owner.employee.id],
    );
    expect(current[0].n).toBe(0);
    const event = await eventOf(owner.employee.id);
    expect(event.payload.handedOver).toEqual([{ initiativeId: owned, to: successor.employee.id }]);
    expect(event.payload.leftInitiatives).toHaveLength(2);

    // Without a successor, a lead of the sponsor team takes an owned initiative over.
    const second = await factory.person();
    const { initiativeId, lead: sponsorLead } = await initiativeOf(second);
    expectOk(await deactivate(second.employee.id));
    const [taken] = await sut.dataSource.query(
      `SELECT owner_id AS "ownerId" FROM initiative WHERE id = $1`,
      [initiativeId],
    );
    expect(taken.ownerId).toBe(sponsorLead.employee.id);
  });

  it('refuses a request read before the deactivation that reaches the database after it commits', async () => {
    const buyer = await market.buyer();
    const needId = await market.postNeed(buyer.lead, buyer.team, { hoursPerWeek: 2, weeks: 1 });
    const worker = await factory.person();
    // Who the request acts for, as the access guard reads it when the request arrives.
    const { actor } = await sut.app.get(BearerAuthentication).verify(`Bearer ${worker.token}`);
    expectOk(await deactivate(worker.employee.id));

    const input = { needId, hoursPerWeek: 2, ratePerHour: 10, message: 'Late', skills: [] };
    const refusal = await sut.app
      .get(BidService)
      .place(input, actor)
      .catch((error: unknown) => error);

    expect(refusal).toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    const bids = await sut.dataSource.query(`SELECT id FROM bid WHERE bidder_id = $1`, [
      worker.employee.id,
    ]);
    expect(bids).toEqual([]);
    expect(await probe.eventsBy(worker.employee.id)).toBe(0);
  });

  it('refuses to approve a deactivated proposer’s idea (CONFLICT): nobody would own it; rejecting it refunds', async () => {
    const proposer = await factory.person();
    const sponsor = await factory.team({ credits: 1_000 });
    const lead = await factory.person({ team: sponsor, leads: [sponsor] });
    const ideaId = await ideas.submitted(proposer, sponsor, 300);
    expectOk(await ideas.pledge(lead, ideaId, sponsor.id, 300));
    expectOk(await deactivate(proposer.employee.id));

    expect(codes(await ideas.approve(lead, ideaId))).toEqual(['CONFLICT']);
    const owned = await sut.dataSource.query(`SELECT id FROM initiative WHERE owner_id = $1`, [
      proposer.employee.id,
    ]);
    expect(owned).toEqual([]);
    expectOk(
      await sut.gql(
        `mutation($input: RejectIdeaInput!) { rejectIdea(input: $input) { idea { status } } }`,
        { input: { ideaId, reason: 'The proposer left' } },
        lead.token,
      ),
    );
    expect(await probe.teamBalance(sponsor.id)).toBe(1_000);
  });

  it('refuses when nobody can take an owned initiative over (CONFLICT) and changes nothing', async () => {
    const owner = await factory.person();
    const { lead } = await initiativeOf(owner);
    expectOk(await deactivate(lead.employee.id, (await factory.person()).employee.id));
    const result = await deactivate(owner.employee.id);
    expect(codes(result)).toEqual(['CONFLICT']);
    expect(await eventOf(owner.employee.id)).toBeUndefined();
    expectOk(await sut.gql(`{ me { id } }`, {}, owner.token));
  });

  it('is for admins only', async () => {
    const person = await factory.person();
    const lead = await factory.lead();
    for (const caller of [person, lead]) {
      expect(codes(await deactivate(person.employee.id, undefined, caller))).toEqual(['FORBIDDEN']);
    }
    expect(
      codes(await sut.gql(REACTIVATE, { input: { employeeId: person.employee.id } }, lead.token)),
    ).toEqual(['FORBIDDEN']);
    expectOk(await sut.gql(`{ me { id } }`, {}, person.token));
  });
});
