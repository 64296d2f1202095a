import { createHash } from 'node:crypto';
import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { QUERY_LIMITS } from '../src/common/graphql/query-limits.js';
import { MAX_MILESTONES_PER_INITIATIVE } from '../src/modules/initiative/initiative-limits.js';
import { Factory, type Person } from './support/factories.js';
import { subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Raw {
  status: number;
  statements: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('GraphQL limits', () => {
  let sut: TestApp;
  let person: Person;

  beforeAll(async () => {
    sut = await startTestApp({ GRAPHQL_MAX_COST: '25000' });
    person = await new Factory(sut).person();
  });
  afterAll(() => sut.close());

  /** POSTs a body as is and reports the status, the SQL statements it cost, and the body. */
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Raw> {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${person.token}`,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      statements: Number(response.headers.get(STATEMENT_COUNT_HEADER) ?? NaN),
      body: text.startsWith('{') ? JSON.parse(text) : { errors: [{ message: text }] },
    };
  }

  const expectRefused = (raw: Raw, pattern: RegExp) => {
    expect(raw.status).toBe(400);
    expect(raw.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(raw.body.errors?.[0].message).toMatch(pattern);
    expect(raw.body.data).toBeUndefined();
    expect(raw.statements).toBe(0);
  };

  it('refuses documents nested too deep', async () => {
    // me → homeTeam → members → nodes → employee → homeTeam → … past the limit.
    let selection = 'id';
    for (let i = 0; i < QUERY_LIMITS.maxDepth; i++) {
      selection = `homeTeam { members(first: 1) { nodes { employee { ${selection} } } } }`;
    }
    expectRefused(await post({ query: `{ me { ${selection} } }` }), /depth/i);
  });

  it('refuses too many aliases and directives', async () => {
    const aliases = Array.from(
      { length: QUERY_LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: me { id }`,
    );
    expectRefused(await post({ query: `{ ${aliases.join(' ')} }` }), /aliases/i);
    const directives = Array.from(
      { length: QUERY_LIMITS.maxDirectives + 1 },
      () => 'id @include(if: true)',
    );
    expectRefused(await post({ query: `{ me { ${directives.join(' ')} } }` }), /directives/i);
  });

  it('refuses documents with too many tokens while parsing them', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, () => 'id').join(' ');
    expectRefused(await post({ query: `{ me { ${fields} } }` }), /tokens/i);
  });

  it('prices lists by their first argument, defaults included', async () => {
    const nested = (needs: number, bids: number) => `{
      needs(first: ${needs}) { nodes { id title bids(first: ${bids}) { nodes {
        id hoursPerWeek bidder { name skills { level skill { name } } } } } } }
    }`;
    const refused = await post({ query: nested(100, 100) });
    expectRefused(refused, /could cost \d+, more than the 25000 allowed/);
    const allowed = await post({ query: nested(50, 10) });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.status).toBe(200);
    // Without `first`, a connection costs as much as its default page (20).
    const bids = (first: string) => `{ needs(first: 100) { nodes { bids${first} { nodes {
      id hoursPerWeek ratePerHour totalCost message status createdAt
      bidder { name email skills { level skill { name } } } } } } } }`;
    const byDefault = await post({ query: bids('') });
    expectRefused(byDefault, /could cost \d+/);
    const explicit = await post({ query: bids('(first: 20)') });
    expect(explicit.body.errors?.[0].message).toBe(byDefault.body.errors?.[0].message);
  });

  it('does not let a negative first lower the price of its siblings', async () => {
    const costly = `needs(first: 100) { nodes { bids(first: 100) { nodes { id hoursPerWeek bidder { name } } } } }`;
    const raw = await post({
      query: `{ a: ${costly} b: needs(first: -1000000) { nodes { id } } }`,
    });
    expectRefused(raw, /could cost/);
  });

  it('prices a plain list at its documented maximum, not at a guess', async () => {
    // Each milestone costs 7 (five fields and completedBy's name), each initiative 3 more.
    const milestones = (first: number) => `{ initiatives(first: ${first}) { nodes { id
      milestones { id title dueDate completedAt createdAt completedBy { name } } } } }`;
    const cost = (first: number) => 1 + first * (3 + 7 * MAX_MILESTONES_PER_INITIATIVE);
    // Priced at 5 milestones an initiative this would cost 3 801 and pass.
    expectRefused(
      await post({ query: milestones(100) }),
      new RegExp(`could cost ${cost(100)}, more than the 25000 allowed`),
    );
    const half = await post({ query: milestones(50) });
    expect(cost(50)).toBeLessThanOrEqual(25_000);
    expect(half.body.errors).toBeUndefined();
  });

  it("prices first up to its own cap: marketStats' 500 skills, not a connection's 100", async () => {
    const skills = `skills { skill { name } openNeeds openDemandHoursPerWeek holders supplyHoursPerWeek
      needsPosted needsFilled fillRatePercent medianHoursToFill acceptedBids acceptedRate { p25 median p75 } }`;
    // Each skill costs 15, its list and asOf 2 more, times the 500 that first may ask for.
    const raw = await post({
      query: `{ a: marketStats(first: 500) { asOf ${skills} } b: marketStats(first: 500) { asOf ${skills} }
        c: marketStats(first: 500) { asOf ${skills} } }`,
    });
    expectRefused(raw, new RegExp(`could cost ${3 * (1 + 500 * 17)},`));
  });

  it('applies the same limits on the WebSocket endpoint, which serves only subscriptions', async () => {
    const refusal = async (query: string): Promise<{ message: string; extensions?: any }[]> => {
      const subscriber = subscribe(sut.url, person.token, query, {});
      try {
        await subscriber.next();
        throw new Error('the operation was not refused');
      } catch (errors) {
        return errors as { message: string; extensions?: any }[];
      } finally {
        await subscriber.close();
      }
    };
    let selection = 'id';
    for (let i = 0; i < QUERY_LIMITS.maxDepth; i++) {
      selection = `homeTeam { members(first: 1) { nodes { employee { ${selection} } } } }`;
    }
    const needId = '00000000-0000-4000-8000-000000000000';
    const deep = await refusal(
      `subscription { bidPlaced(needId: "${needId}") { bidder { ${selection} } } }`,
    );
    expect(deep[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const tokens = Array.from({ length: QUERY_LIMITS.maxTokens }, () => 'id').join(' ');
    const long = await refusal(`subscription { bidPlaced(needId: "${needId}") { ${tokens} } }`);
    expect(long[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const query = await refusal('{ me { id } }');
    expect(query[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(query[0].message).toMatch(/Only subscriptions/);
  });

  it('caps first at 100 with a coded error', async () => {
    const raw = await post({ query: `{ needs(first: 101) { nodes { id } } }` });
    expect(raw.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });

  it('refuses batched operations, cross-site simple requests and oversized bodies', async () => {
    const batch = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
    expect(batch.status).toBe(400); // refused by Apollo before any operation runs

    // A GET a browser could send from another site, without a preflight: refused (CSRF).
    const get = await fetch(`${sut.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);

    const huge = await post({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1_100_000) } });
    expect(huge.status).toBe(413);
  });

  it('stores no automatic persisted queries, for anyone', async () => {
    // Apollo's default would let any caller, signed in or not, fill each instance's memory.
    const query = '{ __typename }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = { persistedQuery: { version: 1, sha256Hash } };
    const anonymous = (body: unknown) =>
      fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const body of [{ query, extensions: persisted }, { extensions: persisted }]) {
      const response = await anonymous(body);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'PersistedQueryNotSupported',
            extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' },
          },
        ],
      });
    }
  });

  it('sets security headers', async () => {
    const response = await fetch(`${sut.url}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('suggests field names and allows introspection in development only', async () => {
    const typo = await post({ query: '{ me { nam } }' });
    expect(typo.body.errors?.[0].message).toMatch(/Did you mean "name"/);
    const introspection = await post({
      query: '{ __schema { queryType { name } types { name fields { name args { name } } } } }',
    });
    expect(introspection.body.errors).toBeUndefined();

    const production = await startTestApp({
      NODE_ENV: 'production',
      SQL_STATEMENT_HEADER: 'true',
    });
    try {
      const send = async (query: string) =>
        (await fetch(`${production.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${person.token}` },
          body: JSON.stringify({ query }),
        }).then((r) => r.json())) as Raw['body'];
      const hiddenTypo = await send('{ me { nam } }');
      expect(hiddenTypo.errors?.[0].message).not.toMatch(/Did you mean/);
      const closed = await send('{ __schema { queryType { name } } }');
      expect(closed.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await production.close();
    }
  });
});
