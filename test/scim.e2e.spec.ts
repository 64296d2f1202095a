import { randomUUID } from 'node:crypto';
import { findViolations } from '../src/database/invariants.js';
import { Factory, unique, type Person } from './support/factories.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 14, "SCIM 2.0 provisioning": /scim/v2 as Okta and Microsoft Entra ID drive it. The
 * sequences replay what their provisioning documentation shows each client sending (look-up,
 * create, update, deactivate, group push, group membership changes), with their quirks.
 */
type Json = Record<string, any>;

const SCIM = 'application/scim+json';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('SCIM 2.0 provisioning', () => {
  let sut: TestApp;
  let factory: Factory;
  let admin: Person;
  let token: string;
  let tokenId: string;
  const defaultTeamName = unique('Everyone');

  const CREATE_TOKEN = `mutation($input: CreateScimTokenInput!) {
    createScimToken(input: $input) { token scimToken { id name revokedAt } }
  }`;
  const REVOKE_TOKEN = `mutation($input: RevokeScimTokenInput!) {
    revokeScimToken(input: $input) { scimToken { id revokedAt } }
  }`;

  /** One SCIM request, as an identity provider sends it. */
  async function scim(
    method: string,
    path: string,
    body?: unknown,
    bearer: string | null = token,
  ): Promise<{ status: number; type: string; body: Json }> {
    const response = await fetch(`${sut.url}/scim/v2${path}`, {
      method,
      headers: {
        accept: SCIM,
        ...(body === undefined ? {} : { 'content-type': SCIM }),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as Json) : {},
    };
  }
  const q = (filter: string) => encodeURIComponent(filter);

  beforeAll(async () => {
    sut = await startTestApp({ SCIM_DEFAULT_TEAM: defaultTeamName });
    factory = new Factory(sut);
    admin = await factory.admin();
    await factory.team({ name: defaultTeamName });
    const created = await sut.gql(CREATE_TOKEN, { input: { name: 'Okta and Entra' } }, admin.token);
    token = created.data!.createScimToken.token;
    tokenId = created.data!.createScimToken.scimToken.id;
  });
  afterEach(async () => {
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('tokens', () => {
    it('are created and revoked by admins only, shown once, stored as a hash', async () => {
      const member = await factory.person();
      const refused = await sut.gql(CREATE_TOKEN, { input: { name: 'Mine' } }, member.token);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      const listed = await sut.gql(`{ scimTokens { id name lastUsedAt } }`, {}, member.token);
      expect(codes(listed)).toEqual(['FORBIDDEN']);

      const created = await sut.gql(CREATE_TOKEN, { input: { name: 'Short-lived' } }, admin.token);
      const secret: string = created.data!.createScimToken.token;
      const id: string = created.data!.createScimToken.scimToken.id;
      expect(secret).toMatch(/^mbd_scim_[A-Za-z0-9_-]{43}$/);
      const [row] = await sut.dataSource.query(`SELECT token_hash FROM scim_token WHERE id = $1`, [
        id,
      ]);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(secret);
      expect((await scim('GET', '/ServiceProviderConfig', undefined, secret)).status).toBe(200);

      const revoked = await sut.gql(REVOKE_TOKEN, { input: { scimTokenId: id } }, admin.token);
      expect(revoked.data!.revokeScimToken.scimToken.revokedAt).toBeTruthy();
      const after = await scim('GET', '/Users', undefined, secret);
      expect(after.status).toBe(401);
      expect(after.body.schemas).toEqual([ERROR]);
      const again = await sut.gql(REVOKE_TOKEN, { input: { scimTokenId: id } }, admin.token);
      expect(codes(again)).toEqual(['INVALID_TRANSITION']);
      const audit = await sut.dataSource.query(
        `SELECT action FROM event WHERE subject_id = $1 ORDER BY seq`,
        [id],
      );
      expect(audit.map((e: Json) => e.action)).toEqual(['scim.createToken', 'scim.revokeToken']);
    });

    it('refuse anything but a live SCIM token: none, a made-up one, an employee’s token', async () => {
      for (const bearer of [null, 'mbd_scim_' + 'x'.repeat(43), admin.token]) {
        const response = await scim('GET', '/Users', undefined, bearer);
        expect(response.status).toBe(401);
        expect(response.type).toContain(SCIM);
        expect(response.body).toMatchObject({ schemas: [ERROR], status: '401' });
      }
    });
  });

  describe('discovery', () => {
    it('serves ServiceProviderConfig, ResourceTypes and Schemas', async () => {
      const config = await scim('GET', '/ServiceProviderConfig');
      expect(config.type).toContain(SCIM);
      expect(config.body).toMatchObject({
        patch: { supported: true },
        filter: { supported: true },
        bulk: { supported: false },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      });
      const types = await scim('GET', '/ResourceTypes');
      expect(types.body.Resources.map((r: Json) => r.id)).toEqual(['User', 'Group']);
      expect((await scim('GET', '/ResourceTypes/User')).body.schemaExtensions).toEqual([
        { schema: ENTERPRISE, required: false },
      ]);
      const schemas = await scim('GET', '/Schemas');
      expect(schemas.body.Resources.map((s: Json) => s.id)).toEqual([
        CORE_USER,
        ENTERPRISE,
        CORE_GROUP,
      ]);
      expect((await scim('GET', `/Schemas/${CORE_GROUP}`)).body.name).toBe('Group');
      expect((await scim('GET', '/Schemas/urn:nope')).status).toBe(404);
    });
  });

  describe('Okta', () => {
    it('looks a user up, creates, reads, updates (PUT), deactivates and reactivates them', async () => {
      const sales = await factory.team({ name: unique('Sales') });
      const email = `${randomUUID().slice(0, 8)}@okta.example`;
      // 1. Okta checks whether the user exists.
      const lookup = await scim(
        'GET',
        `/Users?filter=${q(`userName eq "${email}"`)}&startIndex=1&count=100`,
      );
      expect(lookup.status).toBe(200);
      expect(lookup.type).toContain(SCIM);
      expect(lookup.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
      // 2. It creates them (Okta sends a password too: ignored, people sign in through SSO).
      const created = await scim('POST', '/Users', {
        schemas: [CORE_USER, ENTERPRISE],
        userName: email,
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ primary: true, value: email, type: 'work' }],
        displayName: 'Ada Lovelace',
        locale: 'en-US',
        externalId: '00u1okta',
        groups: [],
        password: 'Sup3rS3cret!',
        active: true,
        [ENTERPRISE]: { department: sales.name },
      });
      expect(created.status).toBe(201);
      expect(created.type).toContain(SCIM);
      const id: string = created.body.id;
      expect(created.body).toMatchObject({
        userName: email,
        externalId: '00u1okta',
        active: true,
        name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
        emails: [{ value: email, primary: true, type: 'work' }],
        [ENTERPRISE]: { department: sales.name },
        meta: { resourceType: 'User', location: `${sut.url}/scim/v2/Users/${id}` },
      });
      const [row] = await sut.dataSource.query(
        `SELECT password_hash, home_team_id FROM employee WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ password_hash: null, home_team_id: sales.id });
      // Nobody signs in with a password they never had.
      const login = await sut.gql(
        `mutation { login(input: { email: "${email}", password: "Sup3rS3cret!" }) { token } }`,
      );
      expect(codes(login)).toEqual(['UNAUTHENTICATED']);
      // Creating them again is 409 uniqueness (Okta then links the existing user).
      const duplicate = await scim('POST', '/Users', { schemas: [CORE_USER], userName: email });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({
        schemas: [ERROR],
        status: '409',
        scimType: 'uniqueness',
      });
      // 3. Found by userName, in any case.
      const found = await scim('GET', `/Users?filter=${q(`userName eq "${email.toUpperCase()}"`)}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].id).toBe(id);
      expect((await scim('GET', `/Users/${id}`)).body.userName).toBe(email);
      // 4. A profile change: Okta PUTs the whole user.
      const ops = await factory.team({ name: unique('Ops') });
      const put = await scim('PUT', `/Users/${id}`, {
        schemas: [CORE_USER, ENTERPRISE],
        id,
        userName: email,
        name: { givenName: 'Ada', familyName: 'King' },
        emails: [{ primary: true, value: email, type: 'work' }],
        title: 'Countess',
        active: true,
        [ENTERPRISE]: { department: ops.name },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ displayName: 'Ada King', title: 'Countess' });
      expect(put.body[ENTERPRISE]).toEqual({ department: ops.name });
      // 5. Deactivation: Okta PATCHes active to false.
      const person = await sut.app
        .get((await import('../src/modules/auth/auth.service.js')).AuthService)
        .tokenFor(id);
      expect(codes(await sut.gql(`{ me { id } }`, {}, person.token))).toEqual([]);
      const off = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect(codes(await sut.gql(`{ me { id } }`, {}, person.token))).toEqual(['UNAUTHENTICATED']);
      const inactive = await scim(
        'GET',
        `/Users?filter=${q('active eq false and externalId eq "00u1okta"')}`,
      );
      expect(inactive.body.totalResults).toBe(1);
      // 6. Reactivation restores sign-in only.
      const on = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: true } }],
      });
      expect(on.body.active).toBe(true);
      const audit = await sut.dataSource.query(
        `SELECT action, actor_id FROM event
          WHERE subject_id = $1 AND action NOT LIKE 'auth.%' ORDER BY seq`,
        [id],
      );
      expect(audit.map((e: Json) => e.action)).toEqual([
        'employee.create',
        'scim.createUser',
        'employee.update',
        'employee.move',
        'scim.replaceUser',
        'employee.deactivate',
        'scim.patchUser',
        'employee.reactivate',
        'scim.patchUser',
      ]);
      // Attributed to the admin who created the token.
      expect(new Set(audit.map((e: Json) => e.actor_id))).toEqual(new Set([admin.employee.id]));
    });

    it('pushes a group, renames it, adds and removes members, and deletes it', async () => {
      const home = await factory.team();
      const alice = await factory.person({ team: home });
      const bob = await factory.person({ team: home });
      const name = unique('Pushed');
      // Okta looks the group up by name, then creates it.
      expect(
        (
          await scim(
            'GET',
            `/Groups?filter=${q(`displayName eq "${name}"`)}&startIndex=1&count=100`,
          )
        ).body.totalResults,
      ).toBe(0);
      const created = await scim('POST', '/Groups', {
        schemas: [CORE_GROUP],
        displayName: name,
        members: [],
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect(created.body).toMatchObject({
        displayName: name,
        members: [],
        meta: { resourceType: 'Group' },
      });
      // Rename: a path-less replace carrying the id.
      const renamed = `${name} renamed`;
      const rename = await scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { id, displayName: renamed } }],
      });
      expect(rename.status).toBe(204);
      // Members added…
      const add = await scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'add',
            path: 'members',
            value: [
              { value: alice.employee.id, display: alice.employee.email },
              { value: bob.employee.id, display: bob.employee.email },
            ],
          },
        ],
      });
      expect(add.status).toBe(204);
      const group = await scim('GET', `/Groups/${id}`);
      expect(group.body.displayName).toBe(renamed);
      expect(group.body.members.map((m: Json) => m.value).sort()).toEqual(
        [alice.employee.id, bob.employee.id].sort(),
      );
      // …and one removed with a value filter.
      const remove = await scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: `members[value eq "${alice.employee.id}"]` }],
      });
      expect(remove.status).toBe(204);
      const members = await sut.dataSource.query(
        `SELECT employee_id, role FROM team_membership WHERE team_id = $1`,
        [id],
      );
      expect(members).toEqual([{ employee_id: bob.employee.id, role: 'MEMBER' }]);
      // Okta's PUT replaces the whole member list.
      const put = await scim('PUT', `/Groups/${id}`, {
        schemas: [CORE_GROUP],
        id,
        displayName: renamed,
        members: [{ value: alice.employee.id }],
      });
      expect(put.status).toBe(200);
      expect(put.body.members.map((m: Json) => m.value)).toEqual([alice.employee.id]);
      // Deleted: the team is archived (it holds no credits) and gone from SCIM.
      expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
      expect((await scim('GET', `/Groups/${id}`)).status).toBe(404);
      const [team] = await sut.dataSource.query(`SELECT archived_at FROM team WHERE id = $1`, [id]);
      expect(team.archived_at).toBeTruthy();
    });
  });

  describe('Microsoft Entra ID', () => {
    it('creates by externalId, PATCHes with its quirks, deactivates with "False", deletes', async () => {
      const upn = `entra.${randomUUID().slice(0, 8)}@contoso.example`;
      const mail = `mail.${randomUUID().slice(0, 8)}@contoso.example`;
      const externalId = `ext-${randomUUID()}`;
      expect(
        (await scim('GET', `/Users?filter=${q(`userName eq "${upn}"`)}`)).body.totalResults,
      ).toBe(0);
      // No department: the configured default team.
      const created = await scim('POST', '/Users', {
        schemas: [CORE_USER, ENTERPRISE],
        externalId,
        userName: upn,
        active: true,
        emails: [{ primary: true, type: 'work', value: mail }],
        meta: { resourceType: 'User' },
        name: { formatted: 'Grace Hopper', familyName: 'Hopper', givenName: 'Grace' },
        roles: [],
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect(created.body).toMatchObject({ userName: upn, emails: [{ value: mail }] });
      expect(created.body[ENTERPRISE].department).toBe(defaultTeamName);
      // Entra finds users by externalId.
      const byExternal = await scim('GET', `/Users?filter=${q(`externalId eq "${externalId}"`)}`);
      expect(byExternal.body.Resources.map((u: Json) => u.id)).toEqual([id]);
      // Capitalised ops, value-filter paths, sub-attribute paths.
      const updatedMail = `updated.${mail}`;
      const patched = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: updatedMail },
          { op: 'Replace', path: 'name.familyName', value: 'Murray Hopper' },
          { op: 'Add', path: 'title', value: 'Rear Admiral' },
        ],
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        emails: [{ value: updatedMail }],
        displayName: 'Grace Murray Hopper',
        title: 'Rear Admiral',
      });
      // A path-less replace with an enterprise attribute (a move).
      const support = await factory.team({ name: unique('Support') });
      const moved = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', value: { [`${ENTERPRISE}:department`]: support.name } }],
      });
      expect(moved.body[ENTERPRISE].department).toBe(support.name);
      // "active": "False", a string.
      const off = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const [row] = await sut.dataSource.query(
        `SELECT deactivated_at, home_team_id FROM employee WHERE id = $1`,
        [id],
      );
      expect(row.deactivated_at).toBeTruthy();
      expect(row.home_team_id).toBe(support.id);
      // DELETE is a deactivation too: the person and their history stay.
      expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
      expect((await scim('GET', `/Users/${id}`)).body.active).toBe(false);
    });

    it('creates a group, checks membership with a filter, adds and removes members, renames', async () => {
      const home = await factory.team();
      const person = await factory.person({ team: home });
      const name = unique('Entra group');
      const lookup = await scim(
        'GET',
        `/Groups?excludedAttributes=members&filter=${q(`displayName eq "${name}"`)}`,
      );
      expect(lookup.body.totalResults).toBe(0);
      const externalId = randomUUID();
      const created = await scim('POST', '/Groups', {
        schemas: [CORE_GROUP],
        externalId,
        displayName: name,
        members: [],
        meta: { resourceType: 'Group' },
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      const isMember = async () =>
        (
          await scim(
            'GET',
            `/Groups?filter=${q(`id eq "${id}" and members[value eq "${person.employee.id}"]`)}&excludedAttributes=members`,
          )
        ).body;
      expect((await isMember()).totalResults).toBe(0);
      const add = await scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Add', path: 'members', value: [{ $ref: null, value: person.employee.id }] },
        ],
      });
      expect(add.status).toBe(204);
      const listed = await isMember();
      expect(listed.totalResults).toBe(1);
      expect(listed.Resources[0].members).toBeUndefined();
      expect(listed.Resources[0].externalId).toBe(externalId);
      const removed = await scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Remove', path: 'members', value: [{ $ref: null, value: person.employee.id }] },
        ],
      });
      expect(removed.status).toBe(204);
      expect((await isMember()).totalResults).toBe(0);
      const newName = unique('Renamed');
      await scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'displayName', value: newName }],
      });
      expect((await scim('GET', `/Groups/${id}?excludedAttributes=members`)).body).toMatchObject({
        displayName: newName,
      });
      expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
    });
  });

  describe('errors and paging', () => {
    it('answers bad requests with SCIM errors and a scimType, changing nothing', async () => {
      // Other test files share the database: count only what these requests could create.
      const mine = `${randomUUID().slice(0, 8)}.example`;
      const count = () =>
        sut.dataSource.query(`SELECT count(*)::int AS n FROM employee WHERE email LIKE $1`, [
          `%${mine}`,
        ]);
      const cases: [string, string, unknown, number, string | undefined][] = [
        ['GET', `/Users?filter=${q('userName co "a"')}`, undefined, 400, 'invalidFilter'],
        ['GET', `/Users?filter=${q('userName eq')}`, undefined, 400, 'invalidFilter'],
        ['GET', `/Users?filter=${q('title eq "x"')}`, undefined, 400, 'invalidFilter'],
        ['GET', '/Users?count=ten', undefined, 400, 'invalidValue'],
        ['POST', '/Users', { schemas: [CORE_USER] }, 400, 'invalidValue'],
        ['POST', '/Users', { userName: 'not-an-email' }, 400, 'invalidValue'],
        [
          'POST',
          '/Users',
          { userName: `${randomUUID()}@${mine}`, active: 'maybe' },
          400,
          'invalidValue',
        ],
        ['POST', '/Users', [], 400, 'invalidValue'],
        ['PATCH', `/Users/${admin.employee.id}`, { Operations: [] }, 400, 'invalidSyntax'],
        [
          'PATCH',
          `/Users/${admin.employee.id}`,
          { Operations: [{ op: 'move', path: 'title' }] },
          400,
          'invalidSyntax',
        ],
        ['GET', `/Users/${randomUUID()}`, undefined, 404, undefined],
        ['GET', '/Users/not-a-uuid', undefined, 404, undefined],
        ['GET', `/Groups/${randomUUID()}`, undefined, 404, undefined],
        [
          'PATCH',
          `/Groups/${randomUUID()}`,
          { Operations: [{ op: 'add', path: 'members', value: [] }] },
          404,
          undefined,
        ],
      ];
      for (const [method, path, body, status, scimType] of cases) {
        const response = await scim(method, path, body);
        expect({ method, path, status: response.status, scimType: response.body.scimType }).toEqual(
          {
            method,
            path,
            status,
            scimType,
          },
        );
        expect(response.type).toContain(SCIM);
        expect(response.body.schemas).toEqual([ERROR]);
        expect(response.body.detail).toEqual(expect.any(String));
      }
      // Malformed JSON is invalidSyntax too.
      const malformed = await fetch(`${sut.url}/scim/v2/Users`, {
        method: 'POST',
        headers: { 'content-type': SCIM, authorization: `Bearer ${token}` },
        body: '{"userName":',
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ schemas: [ERROR], scimType: 'invalidSyntax' });
      expect(await count()).toEqual([{ n: 0 }]);
    });

    it('pages with startIndex and count, and totalResults counts them all', async () => {
      const team = await factory.team({ name: unique('Paged') });
      for (let i = 0; i < 5; i++) await factory.person({ team });
      const filter = q(`displayName eq "${team.name}"`);
      const all = await scim('GET', `/Groups?filter=${filter}`);
      expect(all.body.Resources[0].members).toHaveLength(5);
      const users = await scim('GET', '/Users?startIndex=1&count=2');
      expect(users.body.itemsPerPage).toBe(2);
      expect(users.body.totalResults).toBeGreaterThanOrEqual(5);
      const next = await scim('GET', '/Users?startIndex=3&count=2');
      expect(next.body.startIndex).toBe(3);
      expect(next.body.Resources.map((u: Json) => u.id)).not.toContain(users.body.Resources[0].id);
      const none = await scim('GET', '/Users?count=0');
      expect(none.body).toMatchObject({ itemsPerPage: 0, Resources: [] });
      // Other files add people meanwhile: the total only grows.
      expect(none.body.totalResults).toBeGreaterThanOrEqual(users.body.totalResults);
      const beyond = await scim('GET', '/Users?startIndex=100000000');
      expect(beyond.body.Resources).toEqual([]);
    });

    it('refuses a second user with an external id someone has (409 uniqueness)', async () => {
      const email = `${randomUUID()}@dup.example`;
      const first = await scim('POST', '/Users', { userName: email, externalId: `dup-${tokenId}` });
      expect(first.status).toBe(201);
      const second = await scim('POST', '/Users', {
        userName: `${randomUUID()}@dup.example`,
        externalId: `dup-${tokenId}`,
      });
      expect(second.status).toBe(409);
      expect(second.body.scimType).toBe('uniqueness');
    });
  });
});
