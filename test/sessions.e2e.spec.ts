import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import { bidPlacedTopic } from '../src/modules/market/bid.service.js';
import { Factory, TEST_PASSWORD, type Person } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { listenerAttached, subscribe } from './support/subscriptions.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const ME = `{ me { id } }`;
const SIGN_OUT_EVERYWHERE = `mutation($id: ID!) { signOutEverywhere(input: { employeeId: $id }) { employee { id } } }`;
const CHANGE_MY_PASSWORD = `mutation($current: String!, $new: String!) {
  changeMyPassword(input: { currentPassword: $current, newPassword: $new }) {
    token expiresAt employee { id }
  }
}`;
const LOGIN = `mutation($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { token }
}`;
const ADD_TEAM_MEMBER = `mutation($teamId: ID!, $employeeId: ID!, $role: TeamRole!) {
  addTeamMember(input: { teamId: $teamId, employeeId: $employeeId, role: $role }) {
    membership { role }
  }
}`;
const BID_PLACED = `subscription($needId: ID!) { bidPlaced(needId: $needId) { id } }`;

describe('Sessions', () => {
  let sut: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
  });
  afterAll(() => sut.close());

  const signIn = async (person: Person, password = TEST_PASSWORD): Promise<string> => {
    const result = await sut.gql(LOGIN, { email: person.employee.email, password });
    expectOk(result);
    return result.data!.login.token as string;
  };
  const works = async (token: string): Promise<boolean> => {
    const result = await sut.gql(ME, {}, token);
    if (result.errors) {
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      return false;
    }
    return true;
  };
  const audited = (employeeId: string, action: string) =>
    sut.dataSource.query(`SELECT payload FROM event WHERE actor_id = $1 AND action = $2`, [
      employeeId,
      action,
    ]) as Promise<{ payload: Record<string, unknown> }[]>;

  describe('signOutEverywhere', () => {
    it('refuses every token issued before it, the caller’s own included; a new sign-in works', async () => {
      const person = await factory.person();
      const other = await signIn(person);
      expect(await works(person.token)).toBe(true);
      const result = await sut.gql(SIGN_OUT_EVERYWHERE, { id: person.employee.id }, person.token);
      expectOk(result);
      expect(result.data!.signOutEverywhere.employee.id).toBe(person.employee.id);
      expect(await works(person.token)).toBe(false);
      expect(await works(other)).toBe(false);
      expect(await works(await signIn(person))).toBe(true);
      expect(await audited(person.employee.id, 'auth.signOutEverywhere')).toHaveLength(1);
    });

    it('lets an admin sign someone out, and nobody else sign out another', async () => {
      const [person, colleague, admin] = await Promise.all([
        factory.person(),
        factory.person(),
        factory.admin(),
      ]);
      const refused = await sut.gql(
        SIGN_OUT_EVERYWHERE,
        { id: person.employee.id },
        colleague.token,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await works(person.token)).toBe(true);
      expectOk(await sut.gql(SIGN_OUT_EVERYWHERE, { id: person.employee.id }, admin.token));
      expect(await works(person.token)).toBe(false);
      expect(await works(admin.token)).toBe(true);
    });

    it('leaves everyone else signed in', async () => {
      const [person, bystander] = await Promise.all([factory.person(), factory.person()]);
      expectOk(await sut.gql(SIGN_OUT_EVERYWHERE, { id: person.employee.id }, person.token));
      expect(await works(bystander.token)).toBe(true);
    });
  });

  describe('changeMyPassword', () => {
    it('needs the current password, ends every other session and returns a working token', async () => {
      const person = await factory.person();
      const other = await signIn(person);
      const result = await sut.gql(
        CHANGE_MY_PASSWORD,
        { current: TEST_PASSWORD, new: 'a-brand-new-password' },
        person.token,
      );
      expectOk(result);
      const changed = result.data!.changeMyPassword;
      expect(changed.employee.id).toBe(person.employee.id);
      expect(new Date(changed.expiresAt).getTime()).toBeGreaterThan(Date.now());
      expect(await works(changed.token)).toBe(true);
      expect(await works(person.token)).toBe(false);
      expect(await works(other)).toBe(false);
      expect(
        codes(await sut.gql(LOGIN, { email: person.employee.email, password: TEST_PASSWORD })),
      ).toEqual(['UNAUTHENTICATED']);
      expect(await works(await signIn(person, 'a-brand-new-password'))).toBe(true);
      const [event] = await audited(person.employee.id, 'auth.changePassword');
      expect(JSON.stringify(event.payload)).not.toMatch(/password-123|brand-new/);
    });

    it('refuses a wrong current password on its field and changes nothing', async () => {
      const person = await factory.person();
      const result = await sut.gql(
        CHANGE_MY_PASSWORD,
        { current: 'not-the-password', new: 'a-brand-new-password' },
        person.token,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.field).toBe('input.currentPassword');
      expect(await works(person.token)).toBe(true);
      expect(await works(await signIn(person))).toBe(true);
      expect(await audited(person.employee.id, 'auth.changePassword')).toHaveLength(0);
      // A guess at someone's password from their unlocked session is a security event.
      const failures = await sut.dataSource.query(
        `SELECT payload FROM event WHERE subject_id = $1 AND action = 'auth.login_failed'`,
        [person.employee.id],
      );
      expect(failures).toEqual([
        { payload: expect.objectContaining({ reason: 'wrong current password' }) },
      ]);
    });

    it('refuses a new password equal to the current one, on its field', async () => {
      const person = await factory.person();
      const result = await sut.gql(
        CHANGE_MY_PASSWORD,
        { current: TEST_PASSWORD, new: TEST_PASSWORD },
        person.token,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.field).toBe('input.newPassword');
      expect(await works(person.token)).toBe(true);
    });

    it('validates the new password like createEmployee', async () => {
      const person = await factory.person();
      const result = await sut.gql(
        CHANGE_MY_PASSWORD,
        { current: TEST_PASSWORD, new: 'short' },
        person.token,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(await works(person.token)).toBe(true);
    });
  });

  describe('throttling', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({ LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: '3' });
    });
    afterAll(() => limited.close());

    it('throttles wrong current passwords like sign-in', async () => {
      const person = await new Factory(limited).person();
      const answers: (string | undefined)[] = [];
      for (let i = 0; i < 6; i++) {
        const result = await limited.gql(
          CHANGE_MY_PASSWORD,
          { current: `wrong-password-${i}`, new: 'a-brand-new-password' },
          person.token,
        );
        answers.push(codes(result)[0]);
      }
      expect(answers.slice(0, 3)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect(answers).toContain('RATE_LIMITED');
    });
  });

  describe('role changes', () => {
    it('ends the sessions of someone made a lead, or demoted; a new token carries the new role', async () => {
      const admin = await factory.admin();
      const team = await factory.team();
      const person = await factory.person({ team });
      const before = person.token;
      const promote = await sut.gql(
        ADD_TEAM_MEMBER,
        { teamId: team.id, employeeId: person.employee.id, role: 'LEAD' },
        admin.token,
      );
      expectOk(promote);
      expect(await works(before)).toBe(false);
      const asLead = await signIn(person);
      expect(await works(asLead)).toBe(true);
      expectOk(
        await sut.gql(
          ADD_TEAM_MEMBER,
          { teamId: team.id, employeeId: person.employee.id, role: 'MEMBER' },
          admin.token,
        ),
      );
      expect(await works(asLead)).toBe(false);
    });

    it('keeps the sessions of someone who only joins a team as a member', async () => {
      const admin = await factory.admin();
      const [person, team] = await Promise.all([factory.person(), factory.team()]);
      expectOk(
        await sut.gql(
          ADD_TEAM_MEMBER,
          { teamId: team.id, employeeId: person.employee.id, role: 'MEMBER' },
          admin.token,
        ),
      );
      expect(await works(person.token)).toBe(true);
    });
  });

  describe('open subscriptions', () => {
    it('closes the connections of an ended session at once (4401), idle ones too', async () => {
      const market = new Market(sut, factory);
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const colleague = await factory.person({ team, leads: [team] });
      const staying = subscribe(sut.url, lead.token, BID_PLACED, { needId });
      const leaving = subscribe(sut.url, colleague.token, BID_PLACED, { needId });
      try {
        await listenerAttached(sut.app.get(PUB_SUB), bidPlacedTopic(needId), 2);
        expectOk(
          await sut.gql(SIGN_OUT_EVERYWHERE, { id: colleague.employee.id }, colleague.token),
        );
        const closed = await leaving.next().then(
          (event) => ({ leaked: event }),
          (error: { code?: number }) => error.code,
        );
        expect(closed).toBe(4401);
        const bidId = await market.bid(await factory.person(), needId, 1);
        expect((await staying.next()).data.bidPlaced.id).toBe(bidId);
      } finally {
        await Promise.all([staying.close(), leaving.close()]);
      }
    });

    it('keeps a connection opened with the new session’s token', async () => {
      const market = new Market(sut, factory);
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const changed = await sut.gql(
        CHANGE_MY_PASSWORD,
        { current: TEST_PASSWORD, new: 'a-brand-new-password' },
        lead.token,
      );
      expectOk(changed);
      const fresh = subscribe(sut.url, changed.data!.changeMyPassword.token, BID_PLACED, {
        needId,
      });
      try {
        await listenerAttached(sut.app.get(PUB_SUB), bidPlacedTopic(needId), 1);
        const bidId = await market.bid(await factory.person(), needId, 1);
        expect((await fresh.next()).data.bidPlaced.id).toBe(bidId);
      } finally {
        await fresh.close();
      }
    });

    it('refuses each event of a subscription whose session ended unannounced', async () => {
      const market = new Market(sut, factory);
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const leaving = subscribe(sut.url, lead.token, BID_PLACED, { needId });
      try {
        await listenerAttached(sut.app.get(PUB_SUB), bidPlacedTopic(needId), 1);
        // As if bumped by another instance whose announcement never arrived.
        await sut.dataSource.query(
          `UPDATE employee SET session_version = session_version + 1 WHERE id = $1`,
          [lead.employee.id],
        );
        await market.bid(await factory.person(), needId, 1);
        const refused = await leaving.next().then(
          (event) => ({ leaked: event }),
          (errors: { extensions?: { code?: string } }[]) => errors,
        );
        expect(refused).toEqual([
          expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
        ]);
      } finally {
        await leaving.close();
      }
    });
  });

  it('checks the session without an SQL statement of its own', async () => {
    const person = await factory.person();
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${person.token}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    // One to load the actor (and their session version), one for `me`: as before sessions.
    expect(Number(response.headers.get(STATEMENT_COUNT_HEADER))).toBe(2);
  });
});
