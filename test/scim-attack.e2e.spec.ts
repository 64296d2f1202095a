import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { findViolations } from '../src/database/invariants.js';
import { Factory, unique, type Person } from './support/factories.js';
import { POST_NEED } from './support/market.js';
import { until } from './support/poll.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

/**
 * Issue 14, SCIM under attack: what a leaked or misused provisioning token, a malicious insider
 * and a flaky identity provider can and cannot do to /scim/v2 and the people behind it.
 */
type Json = Record<string, any>;

const SCIM = 'application/scim+json';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('SCIM under attack', () => {
  let sut: TestApp;
  let factory: Factory;
  let admin: Person;
  let token: string;
  const defaultTeamName = unique('Everyone');

  const CREATE_TOKEN = `mutation($input: CreateScimTokenInput!) {
    createScimToken(input: $input) { token }
  }`;
  const DEACTIVATE = `mutation($input: DeactivateEmployeeInput!) {
    deactivateEmployee(input: $input) { employee { id } }
  }`;

  async function scim(
    method: string,
    path: string,
    body?: unknown,
    bearer: string | null = token,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; type: string; body: Json }> {
    const response = await fetch(`${sut.url}/scim/v2${path}`, {
      method,
      headers: {
        accept: SCIM,
        ...(body === undefined ? {} : { 'content-type': SCIM }),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as Json) : {},
    };
  }
  const expectScimError = (
    response: { status: number; type: string; body: Json },
    status: number,
    scimType?: string,
  ) => {
    expect({ status: response.status, scimType: response.body.scimType }).toEqual({
      status,
      scimType,
    });
    expect(response.type).toContain(SCIM);
    expect(response.body).toMatchObject({ schemas: [ERROR], status: String(status) });
    expect(response.body.detail).toEqual(expect.any(String));
  };
  const newToken = async (creator: Person): Promise<string> =>
    (await sut.gql(CREATE_TOKEN, { input: { name: unique('IdP') } }, creator.token)).data!
      .createScimToken.token;
  const employeeRow = async (id: string): Promise<Json> =>
    (
      await sut.dataSource.query(
        `SELECT name, email, title, user_name, external_id, home_team_id, is_admin,
                deactivated_at IS NULL AS active
           FROM employee WHERE id = $1`,
        [id],
      )
    )[0];
  const newUser = async (extra: Json = {}): Promise<string> => {
    const created = await scim('POST', '/Users', {
      userName: `${randomUUID().slice(0, 8)}@idp.example`,
      ...extra,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };

  beforeAll(async () => {
    sut = await startTestApp({ SCIM_DEFAULT_TEAM: defaultTeamName });
    factory = new Factory(sut);
    admin = await factory.admin();
    await factory.team({ name: defaultTeamName });
    token = await newToken(admin);
  });
  afterEach(async () => {
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('tokens', () => {
    it('stop working once the admin who created them is deactivated', async () => {
      const creator = await factory.admin();
      const theirs = await newToken(creator);
      expect((await scim('GET', '/Users?count=1', undefined, theirs)).status).toBe(200);
      const deactivated = await sut.gql(
        DEACTIVATE,
        { input: { employeeId: creator.employee.id } },
        admin.token,
      );
      expect(deactivated.errors).toBeUndefined();
      expectScimError(await scim('GET', '/Users?count=1', undefined, theirs), 401);
      expectScimError(await scim('POST', '/Users', { userName: 'x@idp.example' }, theirs), 401);
    });

    it('are taken from the Authorization header only, whatever its size', async () => {
      expectScimError(
        await scim('GET', `/Users?access_token=${encodeURIComponent(token)}`, undefined, null),
        401,
      );
      expectScimError(await scim('GET', '/Users', undefined, `${token} ${token}`), 401);
      expectScimError(await scim('GET', '/Users', undefined, token + 'x'.repeat(10_000)), 401);
      expectScimError(await scim('GET', '/Users', undefined, token.toUpperCase()), 401);
    });
  });

  describe('admins', () => {
    it('cannot be re-addressed, renamed, moved or deactivated through SCIM (403), and stay as they were', async () => {
      const victim = await factory.admin();
      const id = victim.employee.id;
      const before = await employeeRow(id);
      const attempts: [string, unknown][] = [
        // Re-addressing an admin to a mailbox the IdP's user controls would hand over the
        // account at the next OIDC sign-in.
        [
          'PATCH',
          {
            Operations: [
              { op: 'replace', path: 'emails[type eq "work"].value', value: 'mallory@idp.example' },
            ],
          },
        ],
        [
          'PATCH',
          { Operations: [{ op: 'replace', path: 'userName', value: 'mallory@idp.example' }] },
        ],
        ['PATCH', { Operations: [{ op: 'replace', path: 'externalId', value: 'mallory' }] }],
        ['PATCH', { Operations: [{ op: 'replace', path: 'displayName', value: 'Not an admin' }] }],
        ['PATCH', { Operations: [{ op: 'replace', path: 'active', value: 'False' }] }],
        [
          'PUT',
          {
            userName: before.email,
            name: { formatted: before.name },
            [ENTERPRISE]: { department: defaultTeamName },
          },
        ],
        ['DELETE', undefined],
      ];
      for (const [method, body] of attempts) {
        const response = await scim(method, `/Users/${id}`, body);
        expectScimError(response, 403);
      }
      // The token's own creator is an admin too.
      expectScimError(await scim('DELETE', `/Users/${admin.employee.id}`), 403);
      expect(await employeeRow(id)).toEqual(before);
      expect((await employeeRow(admin.employee.id)).active).toBe(true);

      // What changes nothing is answered as usual (Okta re-sends whole users on every sync).
      const current = await scim('GET', `/Users/${id}`);
      const unchanged = await scim('PUT', `/Users/${id}`, current.body);
      expect(unchanged.status).toBe(200);
      expect(await employeeRow(id)).toEqual(before);
    });

    it('deactivated in the app, are not reactivated through SCIM', async () => {
      const leaver = await factory.admin();
      await sut.gql(DEACTIVATE, { input: { employeeId: leaver.employee.id } }, admin.token);
      const response = await scim('PATCH', `/Users/${leaver.employee.id}`, {
        Operations: [{ op: 'replace', path: 'active', value: true }],
      });
      expectScimError(response, 403);
      expect((await employeeRow(leaver.employee.id)).active).toBe(false);
    });

    it('are never made by SCIM, whatever the body says', async () => {
      const id = await newUser({
        isAdmin: true,
        roles: [{ value: 'admin', primary: true }],
        [ENTERPRISE]: { department: defaultTeamName },
      });
      expect((await employeeRow(id)).is_admin).toBe(false);
      const patched = await scim('PATCH', `/Users/${id}`, {
        Operations: [
          { op: 'add', path: 'roles', value: [{ value: 'admin' }] },
          { op: 'replace', value: { isAdmin: true, is_admin: true } },
        ],
      });
      expect(patched.status).toBe(200);
      expect((await employeeRow(id)).is_admin).toBe(false);
    });
  });

  describe('PATCH', () => {
    it('cannot change id, meta, schemas or memberships through a User, nor pollute prototypes', async () => {
      const id = await newUser();
      const before = await scim('GET', `/Users/${id}`);
      const team = await factory.team();
      const paths = [
        'id',
        'meta',
        'meta.created',
        'schemas',
        'members',
        'groups',
        '__proto__',
        '__proto__.polluted',
        'constructor.prototype.polluted',
      ];
      for (const path of paths) {
        const response = await scim('PATCH', `/Users/${id}`, {
          Operations: [{ op: 'add', path, value: path === 'members' ? [{ value: team.id }] : 'x' }],
        });
        // Ignored, or refused as a path that cannot take the value: never applied, never a 500.
        expect({ path, ok: [200, 400].includes(response.status) }).toEqual({ path, ok: true });
        if (response.status === 400) expectScimError(response, 400, 'invalidPath');
        expect({ path, polluted: (structuredClone({}) as Json).polluted }).toEqual({
          path,
          polluted: undefined,
        });
      }
      await scim('PATCH', `/Users/${id}`, {
        Operations: [{ op: 'replace', value: JSON.parse('{"__proto__": {"polluted": "yes"}}') }],
      });
      // The service's objects (structuredClone's, here) have the process's Object.prototype,
      // not the one of this test file's sandbox: that is the one to check.
      const processObject = structuredClone({}) as Json;
      expect(processObject.polluted).toBeUndefined();
      expect(({} as Json).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(await scim('GET', `/Users/${id}`)).toEqual(before);
      const memberships = await sut.dataSource.query(
        `SELECT 1 FROM team_membership WHERE team_id = $1`,
        [team.id],
      );
      expect(memberships).toEqual([]);
    });
  });

  describe('bad input', () => {
    it('answers unknown routes and methods under /scim/v2 with a SCIM 404', async () => {
      for (const [method, path] of [
        ['GET', '/Bulk'],
        ['POST', '/Bulk'],
        ['GET', '/Me'],
        ['GET', '/Users/a/b'],
        ['POST', '/ServiceProviderConfig'],
        ['DELETE', '/Users'],
      ]) {
        const response = await scim(method, path, method === 'GET' ? undefined : {});
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
        expectScimError(response, 404);
      }
      // Without a token too: nothing but the error body.
      expectScimError(await scim('GET', '/Nope', undefined, null), 404);
    });

    it('refuses bodies too large, too deep or of the wrong kind with SCIM errors', async () => {
      const big = JSON.stringify({ userName: 'big@idp.example', title: 'x'.repeat(1_100_000) });
      expectScimError(await scim('POST', '/Users', big), 413, 'invalidSyntax');
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      expectScimError(
        await scim('POST', '/Users', `{"userName":"deep@idp.example","name":${deep}}`),
        400,
        'invalidValue',
      );
      expectScimError(await scim('POST', '/Users', '"a string"'), 400, 'invalidSyntax');
      expectScimError(
        await scim('POST', '/Users', [{ userName: 'a@idp.example' }]),
        400,
        'invalidValue',
      );
      // A name the directory splits in two halves of 100 characters each is still one too long.
      expectScimError(
        await scim('POST', '/Users', {
          userName: 'long@idp.example',
          name: { givenName: 'G'.repeat(100), familyName: 'F'.repeat(100) },
        }),
        400,
        'invalidValue',
      );
      // Other files share the database: look for these requests' own addresses only.
      const created = await sut.dataSource.query(
        `SELECT email FROM employee WHERE email = ANY($1)`,
        [['big@idp.example', 'deep@idp.example', 'a@idp.example', 'long@idp.example']],
      );
      expect(created).toEqual([]);
    });

    it('refuses filters it cannot answer exactly, and odd paging, with SCIM errors', async () => {
      const filter = (text: string) => `/Users?filter=${encodeURIComponent(text)}`;
      expectScimError(await scim('GET', filter('active eq "maybe"')), 400, 'invalidFilter');
      expectScimError(await scim('GET', filter('active eq "yes"')), 400, 'invalidFilter');
      expectScimError(await scim('GET', filter('active eq 1')), 400, 'invalidFilter');
      expectScimError(await scim('GET', '/Users?count=1&count=2'), 400, 'invalidValue');
      expectScimError(await scim('GET', '/Users?startIndex=1e3'), 400, 'invalidValue');
      expectScimError(
        await scim('GET', '/Users?startIndex=99999999999999999999'),
        400,
        'invalidValue',
      );
      // Injection attempts are values like any other: parameterised, matching nobody.
      const injected = await scim('GET', filter(`userName eq "x' OR '1'='1"`));
      expect(injected.body.totalResults).toBe(0);
      const far = await scim('GET', '/Users?startIndex=999999999&count=-5');
      expect(far.status).toBe(200);
      expect(far.body.Resources).toEqual([]);
      expect((await scim('GET', filter('active eq true'))).status).toBe(200);
      expect((await scim('GET', filter('active eq "False"'))).status).toBe(200);
    });
  });

  describe('races', () => {
    it('two identical creates at once: one 201, the others 409 uniqueness, never 500', async () => {
      const userName = `${randomUUID().slice(0, 8)}@idp.example`;
      const responses = await Promise.all(
        [1, 2, 3, 4].map(() => scim('POST', '/Users', { userName })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      for (const refused of responses.filter((r) => r.status === 409)) {
        expectScimError(refused, 409, 'uniqueness');
      }
    });

    it('deactivations and reactivations at once end in one state, every step audited', async () => {
      const id = await newUser();
      const responses = await Promise.all(
        [false, true, false, true, false].map((active) =>
          scim('PATCH', `/Users/${id}`, {
            Operations: [{ op: 'replace', path: 'active', value: active }],
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const finalState = (await scim('GET', `/Users/${id}`)).body.active;
      expect(finalState).toBe((await employeeRow(id)).active);
    });

    it('members added to one group at once all end up in it', async () => {
      const group = await scim('POST', '/Groups', { displayName: unique('Squad') });
      const ids = await Promise.all([1, 2, 3, 4].map(() => newUser()));
      const responses = await Promise.all(
        ids.map((value) =>
          scim('PATCH', `/Groups/${group.body.id}`, {
            Operations: [{ op: 'add', path: 'members', value: [{ value }] }],
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([204, 204, 204, 204]);
      const members = (await scim('GET', `/Groups/${group.body.id}`)).body.members as Json[];
      expect(members.map((m) => m.value).sort()).toEqual([...ids].sort());
    });

    it("a person's mutation in flight when SCIM deactivates them commits first, never after", async () => {
      const team = await factory.team({ credits: 1_000 });
      const lead = await factory.person({ team, leads: [team] });
      // Another connection holds the team, so the lead's postNeed waits inside its transaction,
      // signed in as an active person (and holding their own row, as every unit of work does).
      const blocker: QueryRunner = sut.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let posting: Promise<GraphQLResponse>;
      let deactivating: Promise<{ status: number }>;
      try {
        // NO KEY UPDATE: postNeed's FOR SHARE waits, foreign-key checks (KEY SHARE) do not.
        await blocker.query(`SELECT id FROM team WHERE id = $1 FOR NO KEY UPDATE`, [team.id]);
        posting = sut.gql(
          POST_NEED,
          {
            input: {
              buyerTeamId: team.id,
              title: 'Posted by a leaver',
              description: '',
              hoursPerWeek: 2,
              weeks: 1,
              ratePerHour: 10,
              requiredSkills: [],
            },
          },
          lead.token,
        );
        await waitForLockWait(sut, '%team%');
        // The deactivation waits for the lead's work under way…
        deactivating = scim('DELETE', `/Users/${lead.employee.id}`);
        await waitForLockWait(sut, '%employee%FOR UPDATE%');
        await blocker.commitTransaction();
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
      // …which commits first; the deactivation then commits after it.
      expect(codes(await posting!)).toEqual([]);
      expect((await deactivating!).status).toBe(204);
      const order = await sut.dataSource.query(
        `SELECT action FROM event WHERE action IN ('need.post', 'employee.deactivate')
            AND (subject_id = $1 OR actor_id = $1) ORDER BY seq`,
        [lead.employee.id],
      );
      expect(order.map((e: { action: string }) => e.action)).toEqual([
        'need.post',
        'employee.deactivate',
      ]);
      // And nothing of theirs commits after it.
      const after = await sut.gql(
        POST_NEED,
        {
          input: {
            buyerTeamId: team.id,
            title: 'Posted after leaving',
            description: '',
            hoursPerWeek: 2,
            weeks: 1,
            ratePerHour: 10,
            requiredSkills: [],
          },
        },
        lead.token,
      );
      expect(codes(after)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('groups', () => {
    it('emptied by the IdP, keep their leads (SCIM never makes leads, so it never unmakes them)', async () => {
      const team = await factory.team();
      const lead = await factory.person({ leads: [team] });
      const group = (
        await scim('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${team.name}"`)}`)
      ).body.Resources[0];
      const member = await newUser();
      await scim('PATCH', `/Groups/${group.id}`, {
        Operations: [{ op: 'add', path: 'members', value: [{ value: member }] }],
      });
      const emptied = await scim('PATCH', `/Groups/${group.id}`, {
        Operations: [{ op: 'replace', path: 'members', value: [] }],
      });
      expect(emptied.status).toBe(204);
      const roles = await sut.dataSource.query(
        `SELECT employee_id, role FROM team_membership WHERE team_id = $1`,
        [team.id],
      );
      expect(roles).toEqual([{ employee_id: lead.employee.id, role: 'LEAD' }]);
    });
  });
});

/**
 * Resolves once a statement like `statement` waits for a lock in this suite's database: the
 * moment a blocked transaction is known to be inside its work.
 */
async function waitForLockWait(sut: TestApp, statement: string): Promise<void> {
  await until(`a statement like ${statement} waits for a lock`, async () => {
    const [row] = await sut.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
      [statement],
    );
    return row.n > 0;
  });
}
