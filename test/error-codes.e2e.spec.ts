import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode } from '../src/common/errors/error-code.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** An enum value: a bare name in a document, a string in variables. */
class EnumValue {
  constructor(readonly name: string) {}
}
const enumValue = (name: string) => new EnumValue(name);

/** A JavaScript value written as a GraphQL literal. */
function literal(value: unknown): string {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(([name, item]) => `${name}: ${literal(item)}`);
    return `{ ${fields.join(', ')} }`;
  }
  // JSON's string escapes (\", \\, \n, \u0000) are GraphQL's too.
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** The same value as a client sends it in `variables`. */
function asVariable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (v instanceof EnumValue ? v.name : v)),
  );
}

interface Answer {
  status: number;
  errors: { code?: string; field?: string }[];
}

/** One argument of one operation, with a valid value that each case spoils in one place. */
interface Slot {
  operation: 'query' | 'mutation';
  field: string;
  argument: string;
  type: string;
  valid: () => Record<string, unknown>;
}

describe('Error codes', () => {
  let sut: TestApp;
  let admin: Person;
  let team: TeamEntity;

  beforeAll(async () => {
    sut = await startTestApp();
    const factory = new Factory(sut);
    admin = await factory.admin();
    team = await factory.team();
  });
  afterAll(() => sut.close());

  /** POSTs a body as is and reports the status and the errors' codes and fields. */
  async function post(
    body: unknown,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<Answer & { body: string }> {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: { errors?: { extensions?: { code?: string; field?: string } }[] } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: reported as an answer without errors, which no expectation accepts.
    }
    return {
      status: response.status,
      body: text,
      errors: (parsed.errors ?? []).map(({ extensions }) => ({
        code: extensions?.code,
        ...(extensions?.field === undefined ? {} : { field: extensions.field }),
      })),
    };
  }

  const slots: Record<string, Slot> = {
    postNeed: {
      operation: 'mutation',
      field: 'postNeed',
      argument: 'input',
      type: 'PostNeedInput!',
      valid: () => ({
        buyerTeamId: team.id,
        title: 'Chat support',
        hoursPerWeek: 4,
        weeks: 3,
        ratePerHour: 30,
        requiredSkills: [{ name: 'Phone Support', minLevel: 2 }],
      }),
    },
    allocateCredits: {
      operation: 'mutation',
      field: 'allocateCredits',
      argument: 'input',
      type: 'AllocateCreditsInput!',
      valid: () => ({ teamId: team.id, amount: 100 }),
    },
    defineOutcomeMetric: {
      operation: 'mutation',
      field: 'defineOutcomeMetric',
      argument: 'input',
      type: 'DefineOutcomeMetricInput!',
      valid: () => ({
        initiativeId: randomUUID(),
        name: 'Calls taken',
        baseline: 1200,
        target: 2000,
        direction: enumValue('HIGHER_IS_BETTER'),
      }),
    },
    endorseIdea: {
      operation: 'mutation',
      field: 'endorseIdea',
      argument: 'input',
      type: 'EndorseIdeaInput!',
      valid: () => ({ ideaId: randomUUID(), endorsed: true }),
    },
    auditLogFilter: {
      operation: 'query',
      field: 'auditLog',
      argument: 'filter',
      type: 'AuditLogFilter',
      valid: () => ({ since: '2026-01-01T00:00:00Z' }),
    },
    auditLogFirst: {
      operation: 'query',
      field: 'auditLog',
      argument: 'first',
      type: 'Int',
      valid: () => ({}),
    },
    employee: {
      operation: 'query',
      field: 'employee',
      argument: 'id',
      type: 'ID!',
      valid: () => ({}),
    },
    ideaFunnel: {
      operation: 'query',
      field: 'ideaFunnel',
      argument: 'filter',
      type: 'IdeaFunnelFilter',
      valid: () => ({ proposedIn: { from: '2026-01-01' } }),
    },
    needs: {
      operation: 'query',
      field: 'needs',
      argument: 'filter',
      type: 'NeedFilter',
      valid: () => ({ status: enumValue('OPEN') }),
    },
  };

  /** [what is wrong, slot, the bad argument value built from the valid one, the field named] */
  const badValues: [string, keyof typeof slots, (valid: any) => unknown, string][] = [
    // Int
    [
      'a string for an Int',
      'postNeed',
      (v) => ({ ...v, hoursPerWeek: 'four' }),
      'input.hoursPerWeek',
    ],
    [
      'a fraction for an Int',
      'postNeed',
      (v) => ({ ...v, hoursPerWeek: 4.5 }),
      'input.hoursPerWeek',
    ],
    [
      'an Int past 32 bits',
      'postNeed',
      (v) => ({ ...v, hoursPerWeek: 2 ** 31 }),
      'input.hoursPerWeek',
    ],
    [
      'a Boolean for an Int',
      'postNeed',
      (v) => ({ ...v, hoursPerWeek: true }),
      'input.hoursPerWeek',
    ],
    [
      'an object for an Int',
      'postNeed',
      (v) => ({ ...v, hoursPerWeek: { n: 4 } }),
      'input.hoursPerWeek',
    ],
    ['a list for an Int', 'postNeed', (v) => ({ ...v, hoursPerWeek: [4] }), 'input.hoursPerWeek'],
    [
      'null for a non-null Int',
      'postNeed',
      (v) => ({ ...v, hoursPerWeek: null }),
      'input.hoursPerWeek',
    ],
    ['a string for the Int first', 'auditLogFirst', () => 'ten', 'first'],
    ['a first over 100', 'auditLogFirst', () => 101, 'first'],
    ['a negative first', 'auditLogFirst', () => -1, 'first'],
    // Float
    [
      'a string for a Float',
      'defineOutcomeMetric',
      (v) => ({ ...v, baseline: 'many' }),
      'input.baseline',
    ],
    [
      'a Boolean for a Float',
      'defineOutcomeMetric',
      (v) => ({ ...v, target: false }),
      'input.target',
    ],
    [
      'null for a non-null Float',
      'defineOutcomeMetric',
      (v) => ({ ...v, baseline: null }),
      'input.baseline',
    ],
    // String
    ['a number for a String', 'postNeed', (v) => ({ ...v, title: 5 }), 'input.title'],
    ['a list of numbers for a String', 'postNeed', (v) => ({ ...v, title: [5] }), 'input.title'],
    ['an object for a String', 'needs', (v) => ({ ...v, text: { a: 'b' } }), 'filter.text'],
    ['a String holding NUL', 'postNeed', (v) => ({ ...v, title: 'a\u0000b' }), 'input.title'],
    [
      'a String holding NUL in a filter',
      'needs',
      (v) => ({ ...v, text: 'chat\u0000' }),
      'filter.text',
    ],
    ['a blank required String', 'postNeed', (v) => ({ ...v, title: '   ' }), 'input.title'],
    // Boolean
    ['a string for a Boolean', 'endorseIdea', (v) => ({ ...v, endorsed: 'yes' }), 'input.endorsed'],
    ['a number for a Boolean', 'endorseIdea', (v) => ({ ...v, endorsed: 1 }), 'input.endorsed'],
    [
      'null for a non-null Boolean',
      'endorseIdea',
      (v) => ({ ...v, endorsed: null }),
      'input.endorsed',
    ],
    // ID
    ['a Boolean for an ID', 'employee', () => true, 'id'],
    ['a fraction for an ID', 'postNeed', (v) => ({ ...v, buyerTeamId: 1.5 }), 'input.buyerTeamId'],
    ['an id that is not a UUID', 'employee', () => 'team-1', 'id'],
    ['an integer id', 'postNeed', (v) => ({ ...v, buyerTeamId: 42 }), 'input.buyerTeamId'],
    [
      'an invalid UUID in a filter',
      'auditLogFilter',
      (v) => ({ ...v, actorId: '42' }),
      'filter.actorId',
    ],
    ['null for a non-null ID', 'employee', () => null, 'id'],
    // Credits
    ['a fraction of a credit', 'allocateCredits', (v) => ({ ...v, amount: 1.5 }), 'input.amount'],
    ['credits as a string', 'allocateCredits', (v) => ({ ...v, amount: '100' }), 'input.amount'],
    ['credits past 2^53', 'allocateCredits', (v) => ({ ...v, amount: 2 ** 60 }), 'input.amount'],
    ['zero credits', 'allocateCredits', (v) => ({ ...v, amount: 0 }), 'input.amount'],
    ['null credits', 'allocateCredits', (v) => ({ ...v, amount: null }), 'input.amount'],
    // DateTime
    [
      'a word for a DateTime',
      'auditLogFilter',
      (v) => ({ ...v, since: 'yesterday' }),
      'filter.since',
    ],
    ['a number for a DateTime', 'auditLogFilter', (v) => ({ ...v, since: 5 }), 'filter.since'],
    ['a Boolean for a DateTime', 'auditLogFilter', (v) => ({ ...v, until: true }), 'filter.until'],
    [
      'an impossible DateTime',
      'auditLogFilter',
      (v) => ({ ...v, since: '2026-13-45T00:00:00Z' }),
      'filter.since',
    ],
    [
      'a DateTime without a time zone',
      'auditLogFilter',
      (v) => ({ ...v, since: '2026-01-01T10:00' }),
      'filter.since',
    ],
    // LocalDate
    [
      'a word for a LocalDate',
      'ideaFunnel',
      () => ({ proposedIn: { from: 'yesterday' } }),
      'filter.proposedIn.from',
    ],
    [
      'an impossible LocalDate',
      'ideaFunnel',
      () => ({ proposedIn: { to: '2026-02-30' } }),
      'filter.proposedIn.to',
    ],
    [
      'a number for a LocalDate',
      'ideaFunnel',
      () => ({ proposedIn: { from: 20260101 } }),
      'filter.proposedIn.from',
    ],
    // Enums
    [
      'an unknown enum value',
      'defineOutcomeMetric',
      (v) => ({ ...v, direction: enumValue('SIDEWAYS') }),
      'input.direction',
    ],
    ['a number for an enum', 'needs', (v) => ({ ...v, status: 3 }), 'filter.status'],
    [
      'null for a non-null enum',
      'defineOutcomeMetric',
      (v) => ({ ...v, direction: null }),
      'input.direction',
    ],
    // Input objects
    ['an unknown input field', 'postNeed', (v) => ({ ...v, colour: 'teal' }), 'input.colour'],
    [
      'an unknown field in a nested input',
      'postNeed',
      (v) => ({ ...v, requiredSkills: [{ name: 'Research', minLevel: 2, colour: 'teal' }] }),
      'input.requiredSkills.0.colour',
    ],
    ['a missing required input field', 'postNeed', ({ title: _title, ...v }) => v, 'input.title'],
    [
      'a missing field in a nested input',
      'postNeed',
      (v) => ({ ...v, requiredSkills: [{ minLevel: 2 }] }),
      'input.requiredSkills.0.name',
    ],
    ['a scalar for an input object', 'needs', () => 'OPEN', 'filter'],
    [
      'a string for a nested input object',
      'ideaFunnel',
      () => ({ proposedIn: '2026' }),
      'filter.proposedIn',
    ],
    // Lists
    [
      'a bad value in a list',
      'postNeed',
      (v) => ({ ...v, requiredSkills: [{ name: 'Research', minLevel: 'high' }] }),
      'input.requiredSkills.0.minLevel',
    ],
    [
      'an out-of-range value in a list',
      'postNeed',
      (v) => ({
        ...v,
        requiredSkills: [
          { name: 'Research', minLevel: 2 },
          { name: 'Sales', minLevel: 9 },
        ],
      }),
      'input.requiredSkills.1.minLevel',
    ],
    [
      'a string where a list of objects is expected',
      'postNeed',
      (v) => ({ ...v, requiredSkills: 'Research' }),
      'input.requiredSkills',
    ],
    [
      'a list of lists for a list',
      'postNeed',
      (v) => ({ ...v, requiredSkills: [[{ name: 'Research', minLevel: 2 }]] }),
      'input.requiredSkills.0',
    ],
    [
      'null in a list of non-null items',
      'postNeed',
      (v) => ({ ...v, requiredSkills: [null] }),
      'input.requiredSkills.0',
    ],
    [
      'a single bad object where a list is expected',
      'postNeed',
      (v) => ({ ...v, requiredSkills: { name: 'Research', minLevel: 9 } }),
      'input.requiredSkills.0.minLevel',
    ],
  ];

  it.each(badValues)(
    'refuses %s with BAD_USER_INPUT naming the same field, with the same HTTP status, inline or as a variable',
    async (_problem, slotName, spoil, field) => {
      const slot = slots[slotName];
      const value = spoil(slot.valid());
      const selection = slot.field === 'auditLog' ? 'totalCount' : '__typename';
      const inline = await post({
        query: `${slot.operation} { ${slot.field}(${slot.argument}: ${literal(value)}) { ${selection} } }`,
      });
      const variable = await post({
        query: `${slot.operation}($${slot.argument}: ${slot.type}) { ${slot.field}(${slot.argument}: $${slot.argument}) { ${selection} } }`,
        variables: { [slot.argument]: asVariable(value) },
      });
      // 400 when refused before anything ran (validation, coercion), 200 when a resolver's
      // rules refused it (GraphQL over HTTP): the same either way the value was sent.
      const expected = { status: inline.status, errors: [{ code: 'BAD_USER_INPUT', field }] };
      expect([200, 400]).toContain(inline.status);
      expect({ inline: { status: inline.status, errors: inline.errors } }).toEqual({
        inline: expected,
      });
      expect({ variable: { status: variable.status, errors: variable.errors } }).toEqual({
        variable: expected,
      });
    },
  );

  it('names the field by its place in the arguments, whatever the variable is called', async () => {
    const need = slots.postNeed.valid();
    const hours = await post({
      query: `mutation($h: Int!) { postNeed(input: { buyerTeamId: "${team.id}", title: "t", hoursPerWeek: $h, weeks: 1, ratePerHour: 1 }) { __typename } }`,
      variables: { h: 'four' },
    });
    expect(hours.errors).toEqual([{ code: 'BAD_USER_INPUT', field: 'input.hoursPerWeek' }]);

    const skills = await post({
      query: `mutation($s: [RequiredSkillInput!]!) { postNeed(input: { buyerTeamId: "${team.id}", title: "t", hoursPerWeek: 1, weeks: 1, ratePerHour: 1, requiredSkills: $s }) { __typename } }`,
      variables: {
        s: [
          { name: 'Research', minLevel: 2 },
          { name: 'Sales', minLevel: 'high' },
        ],
      },
    });
    expect(skills.errors).toEqual([
      { code: 'BAD_USER_INPUT', field: 'input.requiredSkills.1.minLevel' },
    ]);

    const renamed = await post({
      query: `mutation($payload: PostNeedInput!) { postNeed(input: $payload) { __typename } }`,
      variables: { payload: { ...need, colour: 'teal' } },
    });
    expect(renamed.errors).toEqual([{ code: 'BAD_USER_INPUT', field: 'input.colour' }]);

    const missing = await post({
      query: `query($who: ID!) { employee(id: $who) { id } }`,
      variables: {},
    });
    expect(missing).toMatchObject({
      status: 400,
      errors: [{ code: 'BAD_USER_INPUT', field: 'id' }],
    });
    const omitted = await post({ query: `{ employee { id } }` });
    expect(omitted).toMatchObject({
      status: 400,
      errors: [{ code: 'BAD_USER_INPUT', field: 'id' }],
    });
  });

  /** [what the client did, the request, the code and HTTP status it gets] */
  const malformedRequests: [string, () => Promise<Answer>, string, number][] = [
    [
      'sent a document that does not parse',
      () => post({ query: '{ me { id }' }),
      'GRAPHQL_PARSE_FAILED',
      400,
    ],
    [
      'asked for a field that does not exist',
      () => post({ query: '{ me { nam } }' }),
      'GRAPHQL_VALIDATION_FAILED',
      400,
    ],
    [
      'used a variable where its type does not fit',
      () => post({ query: 'query($x: String) { employee(id: $x) { id } }' }),
      'GRAPHQL_VALIDATION_FAILED',
      400,
    ],
    [
      'sent two operations without naming one',
      () => post({ query: 'query A { me { id } } query B { me { id } }' }),
      'OPERATION_RESOLUTION_FAILURE',
      400,
    ],
    [
      'named an operation the document does not hold',
      () => post({ query: 'query A { me { id } }', operationName: 'B' }),
      'OPERATION_RESOLUTION_FAILURE',
      400,
    ],
    ['sent no query', () => post({ variables: {} }), 'BAD_REQUEST', 400],
    ['sent an empty query', () => post({ query: '' }), 'BAD_REQUEST', 400],
    ['sent a query that is not a string', () => post({ query: 5 }), 'BAD_REQUEST', 400],
    [
      'sent variables that are not an object',
      () => post({ query: '{ me { id } }', variables: [1] }),
      'BAD_REQUEST',
      400,
    ],
    ['sent a body that is not JSON', () => post('{"query": "{ me { id } }"'), 'BAD_REQUEST', 400],
    ['sent a batch', () => post([{ query: '{ me { id } }' }]), 'BAD_REQUEST', 400],
    [
      'sent a content type a form could (CSRF)',
      () => post(JSON.stringify({ query: '{ me { id } }' }), { 'content-type': 'text/plain' }),
      'BAD_REQUEST',
      400,
    ],
    [
      'sent a content type the endpoint does not read',
      () => post('{ me { id } }', { 'content-type': 'application/graphql' }),
      'BAD_REQUEST',
      400,
    ],
    [
      'sent a body in a charset other than UTF-8',
      () =>
        post({ query: '{ me { id } }' }, { 'content-type': 'application/json; charset=latin1' }),
      'BAD_REQUEST',
      415,
    ],
    [
      'sent a body over 1 MB',
      () => post({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1_100_000) } }),
      'BAD_REQUEST',
      413,
    ],
    [
      'sent a mutation with GET',
      async () => {
        const query = encodeURIComponent(
          'mutation { createTeam(input: { name: "x" }) { team { id } } }',
        );
        const response = await fetch(`${sut.url}/graphql?query=${query}`, {
          headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${admin.token}` },
        });
        const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
        return {
          status: response.status,
          errors: body.errors.map((e) => ({ code: e.extensions.code })),
        };
      },
      'BAD_REQUEST',
      405,
    ],
    [
      'accepts no JSON in the response',
      () =>
        post(
          { query: '{ me { id } }' },
          { 'content-type': 'application/json', accept: 'text/html' },
        ),
      'BAD_REQUEST',
      406,
    ],
    [
      'used a method other than GET or POST',
      async () => {
        const response = await fetch(`${sut.url}/graphql`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
          body: JSON.stringify({ query: '{ me { id } }' }),
        });
        const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
        return {
          status: response.status,
          errors: body.errors.map((e) => ({ code: e.extensions.code })),
        };
      },
      'BAD_REQUEST',
      405,
    ],
    [
      'sent a subscription over HTTP (they are served over WebSocket)',
      () => post({ query: `subscription { bidPlaced(needId: "${randomUUID()}") { id } }` }),
      'BAD_REQUEST',
      400,
    ],
    [
      'sent an automatic persisted query hash alone',
      () =>
        post({
          extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
        }),
      'PERSISTED_QUERY_NOT_SUPPORTED',
      200,
    ],
  ];

  it.each(malformedRequests)(
    'answers a client that %s with a GraphQL error body, its code and HTTP status',
    async (_what, send, code, status) => {
      const answer = await send();
      expect({ status: answer.status, codes: answer.errors.map((e) => e.code) }).toEqual({
        status,
        codes: [code],
      });
    },
  );

  it('documents every code a client can receive, with its HTTP status, in one README table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = new Map<string, string>();
    for (const [, code, status] of readme.matchAll(/^\| `([A-Z_]+)` +\| ([^|]+?) +\|/gm)) {
      documented.set(code, status);
    }
    const answered = new Map<string, number[]>();
    for (const [, , code, status] of malformedRequests) {
      answered.set(code, [...(answered.get(code) ?? []), status]);
    }
    answered.set('BAD_USER_INPUT', [400]);
    for (const code of Object.values(ErrorCode)) answered.set(code, answered.get(code) ?? []);
    for (const [code, statuses] of answered) {
      expect({ code, documented: documented.has(code) }).toEqual({ code, documented: true });
      for (const status of statuses) expect(documented.get(code)).toContain(String(status));
    }
  });
});
