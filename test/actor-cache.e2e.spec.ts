import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { Factory, type Person } from './support/factories.js';
import { expectOk } from './support/market.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/poll.js';

const ME = `{ me { id } }`;
const SIGN_OUT_EVERYWHERE = `mutation($id: ID!) { signOutEverywhere(input: { employeeId: $id }) { employee { id } } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivateEmployee(input: { employeeId: $id }) { employee { id } } }`;
const MARK_READ = `mutation { markNotificationsRead(input: {}) { marked } }`;
const SET_SKILLS = `mutation($id: ID!) { setEmployeeSkills(input: { employeeId: $id, skills: [{ name: "Filing", level: 2 }] }) { employee { id } } }`;
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Issue 16: a query acts on the actor a recent request of its instance read (no statement for
 * it), and never on one that a change has made stale. The cache is set to a minute here, far
 * longer than any wait below: what ends an entry in these tests is the invalidation, not time.
 */
describe('Actor cache', () => {
  let a: TestApp;
  let b: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    const env = { ACTOR_CACHE_MS: '60000', REDIS_URL: REDIS };
    a = await startTestApp(env);
    b = await startTestApp(env);
    factory = new Factory(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const statements = async (sut: TestApp, token: string, query = ME) => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return Number(response.headers.get(STATEMENT_COUNT_HEADER));
  };
  const refused = async (sut: TestApp, person: Person) =>
    codes(await sut.gql(ME, {}, person.token)).includes('UNAUTHENTICATED');

  it('spares a query the statement for its actor once a request has read it', async () => {
    const person = await factory.person();
    const first = await statements(a, person.token);
    const second = await statements(a, person.token);
    expect(second).toBe(first - 1);
  });

  it('reads the actor afresh for a mutation, and for the query after any change here', async () => {
    const person = await factory.person();
    await statements(a, person.token);
    const cached = await statements(a, person.token);
    // A change (audited) committed here makes every remembered actor of this instance stale…
    expectOk(await a.gql(SET_SKILLS, { id: person.employee.id }, person.token));
    expect(await statements(a, person.token)).toBe(cached + 1);
    expect(await statements(a, person.token)).toBe(cached);
    // …bookkeeping that changes no domain state (nothing audited) does not.
    expectOk(await a.gql(MARK_READ, {}, person.token));
    expect(await statements(a, person.token)).toBe(cached);
  });

  it('refuses an ended session at once, on this instance and on the others', async () => {
    const person = await factory.person();
    // Both instances remember the person's actor…
    await statements(a, person.token);
    await statements(b, person.token);
    expect(await refused(b, person)).toBe(false);
    // …then their sessions end on A: A refuses the next query, B as soon as it hears of it.
    expectOk(await a.gql(SIGN_OUT_EVERYWHERE, { id: person.employee.id }, person.token));
    expect(await refused(a, person)).toBe(true);
    // Within 20 s, far less than the cache's minute: the announcement ended it, not time.
    await until('B refuses the ended session', () => refused(b, person), 20);
  });

  it('refuses a leaver at once on every instance', async () => {
    const admin = await factory.admin();
    const leaver = await factory.person();
    await statements(a, leaver.token);
    await statements(b, leaver.token);
    expectOk(await b.gql(DEACTIVATE, { id: leaver.employee.id }, admin.token));
    expect(await refused(b, leaver)).toBe(true);
    await until('A refuses the leaver', () => refused(a, leaver), 20);
  });
});
