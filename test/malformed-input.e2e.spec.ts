import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import { Factory, type Person } from './support/factories.js';
import { signedInSocket } from './support/raw-socket.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Property: whatever malformed input reaches any mutation (wrong types, huge strings, negative
 * and overflowing numbers, control characters and other unicode, nulls, unknown fields), the
 * answer is a coded error, never an internal one, and nothing changes (FUZZ_RUNS samples per
 * mutation, 25 by default). Mutations and their input types are read from schema.gql, so new
 * ones are fuzzed too.
 */
const schema = buildSchema(readFileSync(new URL('../schema.gql', import.meta.url), 'utf8'));
const mutations = Object.values(schema.getMutationType()!.getFields());

/** Values that are wrong for a field of this type whatever the rest of the input says. */
function invalidFor(type: GraphQLInputType): fc.Arbitrary<unknown> {
  const wrongShape = fc.oneof(
    fc.constant({ nested: true }),
    fc.constant([[1], ['a']]),
    fc.constant({}),
  );
  if (isNonNullType(type)) return fc.oneof(fc.constant(null), invalidFor(type.ofType));
  // (A lone string is not wrong for a list of strings: GraphQL reads it as a list of one.)
  if (isListType(type)) return fc.oneof(fc.constant(42), fc.constant([null]), wrongShape);
  const named = getNamedType(type);
  if (isEnumType(named)) return fc.oneof(fc.constant('NOT_A_VALUE'), fc.integer(), wrongShape);
  if (isInputObjectType(named)) return fc.oneof(fc.string(), fc.integer(), fc.constant([]));
  switch (named.name) {
    case 'Int':
      return fc.oneof(
        fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1.5, -0.25),
        fc.string(),
        wrongShape,
      );
    case 'Credits':
      return fc.oneof(
        fc.constantFrom(0, -1, -(2 ** 40), 2 ** 60, 1.5),
        fc.constant('100'),
        wrongShape,
      );
    case 'Float':
      return fc.oneof(fc.constant('NaN'), fc.constant('1e309'), fc.string(), wrongShape);
    case 'Boolean':
      return fc.oneof(fc.constantFrom('true', 0, 1), wrongShape);
    case 'ID':
      return fc.oneof(
        fc.constantFrom('not-a-uuid', '', "'; DROP TABLE team; --", '00000000-0000-0000-0000'),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        wrongShape,
      );
    case 'LocalDate':
    case 'DateTime':
      return fc.oneof(
        fc.constantFrom('yesterday', '2026-13-45', '2026-02-30', '99999-01-01', ''),
        fc.integer(),
        wrongShape,
      );
    default:
      // String and other scalars: huge, a NUL or a lone surrogate, or not a string at all.
      return fc.oneof(
        fc.constant('x'.repeat(100_000)),
        fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'ok\uDFFFok'),
        fc.integer(),
        wrongShape,
      );
  }
}

/** Plausible values: of the right type, some valid, most pointing at nothing. */
function plausibleFor(type: GraphQLInputType): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return plausibleFor(type.ofType);
  if (isListType(type))
    return fc.array(plausibleFor(type.ofType as GraphQLInputType), { maxLength: 3 });
  const named = getNamedType(type);
  if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, plausibleFor(f.type)])));
  }
  if (!isScalarType(named)) return fc.constant(null);
  switch (named.name) {
    case 'Int':
      return fc.integer({ min: -5, max: 200 });
    case 'Credits':
      return fc.integer({ min: 1, max: 1_000 });
    case 'Float':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return fc.uuid();
    case 'LocalDate':
      return fc.constant(new Date().toISOString().slice(0, 10));
    case 'DateTime':
      return fc.constant(new Date().toISOString());
    default:
      // Any text, right-to-left overrides and blank strings included: not wrong in itself.
      return fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom('\u202Eevil', ' \t\n ', 'Zoë 🚀'),
      );
  }
}

/** A mutation's input with at least one field broken, possibly plus an unknown field. */
function malformedInput(type: GraphQLInputType): fc.Arbitrary<unknown> {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return invalidFor(type);
  const fields = Object.values(named.getFields());
  return fc
    .tuple(
      plausibleFor(named) as fc.Arbitrary<Record<string, unknown>>,
      fc.integer({ min: 0, max: fields.length }),
    )
    .chain(([base, broken]) =>
      broken === fields.length
        ? fc.constant({ ...base, notAField: 'surprise' })
        : invalidFor(fields[broken].type).map((value) => ({
            ...base,
            [fields[broken].name]: value,
          })),
    );
}

describe('Malformed input to every mutation', () => {
  let sut: TestApp;
  let admin: Person;
  let member: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    const factory = new Factory(sut);
    admin = await factory.admin();
    member = await factory.person();
  });
  afterAll(() => sut.close());

  /**
   * What the fuzzed callers changed: every mutation records an event for its actor in the same
   * transaction as its change (other test files write concurrently, so only these count).
   * Records of refusals (`auth.refused`) are not changes.
   */
  async function fingerprint(): Promise<number> {
    const [{ events }] = await sut.dataSource.query(
      `SELECT count(*)::int AS events FROM event WHERE actor_id = ANY($1) AND action <> 'auth.refused'`,
      [[admin.employee.id, member.employee.id]],
    );
    return events as number;
  }

  it.each(mutations.map((m) => [m.name, m] as const))(
    '%s answers a coded error and changes nothing',
    async (_name, mutation) => {
      const input = mutation.args[0];
      const operation = `mutation($input: ${String(input.type)}) { ${mutation.name}(input: $input) { __typename } }`;
      await fc.assert(
        fc.asyncProperty(malformedInput(input.type), fc.boolean(), async (value, asAdmin) => {
          const before = await fingerprint();
          const response = await fetch(`${sut.url}/graphql`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${(asAdmin ? admin : member).token}`,
            },
            body: JSON.stringify({ query: operation, variables: { input: value } }),
          });
          expect(response.status).toBeLessThan(500);
          const body = (await response.json()) as {
            data?: unknown;
            errors?: { message: string; extensions?: { code?: string } }[];
          };
          expect(body.errors?.length).toBeGreaterThan(0);
          for (const error of body.errors!) {
            expect(error.extensions?.code).toMatch(/^[A-Z_]+$/);
            expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
            expect(error.message).not.toMatch(/violates|constraint|relation "|syntax error at/i);
          }
          expect(await fingerprint()).toBe(before);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
      );
    },
  );
});

/**
 * The same over the WebSocket endpoint: malformed arguments to every subscription answer a coded
 * error, and whatever arrives as a message (not JSON, the wrong shape, an unknown type, a
 * subscribe with a broken payload) gets a coded error or closes that socket with a protocol
 * code, never an internal error, and the service goes on serving everyone else.
 */
describe('Malformed input over WebSocket', () => {
  let sut: TestApp;
  let member: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    member = await new Factory(sut).person();
  });
  afterAll(() => sut.close());

  const subscriptionFields = Object.values(schema.getSubscriptionType()!.getFields());

  it.each(subscriptionFields.map((f) => [f.name, f] as const))(
    '%s answers malformed arguments with a coded error',
    async (_name, field) => {
      const declared = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `subscription(${declared}) { ${field.name}(${passed}) { __typename } }`;
      const socket = await signedInSocket(sut.url, member.token);
      try {
        let id = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.record(Object.fromEntries(field.args.map((a) => [a.name, invalidFor(a.type)]))),
            async (variables) => {
              const subscription = String(++id);
              socket.send({ id: subscription, type: 'subscribe', payload: { query, variables } });
              const answer = await socket.next();
              expect(answer.id).toBe(subscription);
              const errors = answer.type === 'error' ? answer.payload : answer.payload?.errors;
              expect(errors?.length).toBeGreaterThan(0);
              for (const error of errors) {
                expect(error.extensions?.code).toMatch(/^[A-Z_]+$/);
                expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
              }
              if (answer.type === 'next') expect((await socket.next()).type).toBe('complete');
            },
          ),
          { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
        );
      } finally {
        await socket.close();
      }
    },
  );

  it('answers any message with a coded error or a protocol close code, never an internal error', async () => {
    const message = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json(),
      fc.record({ type: fc.string({ maxLength: 20 }), id: fc.anything() }),
      fc.record({
        type: fc.constant('subscribe'),
        id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
        payload: fc.oneof(
          fc.anything(),
          fc.record({ query: fc.string({ maxLength: 200 }), variables: fc.anything() }),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(message, async (sent) => {
        const socket = await signedInSocket(sut.url, member.token);
        try {
          socket.send(typeof sent === 'string' ? sent : JSON.stringify(sent));
          // The answer to a lone message: an error for it, or the socket closed.
          const answer = await Promise.race([
            socket.next().then(
              (m) => m,
              () => undefined,
            ),
            socket.closed,
          ]);
          if (answer && 'code' in answer) {
            expect(answer.code).toBeGreaterThanOrEqual(4400);
            expect(answer.code).not.toBe(4500);
          } else if (answer) {
            const errors = answer.type === 'error' ? answer.payload : answer.payload?.errors;
            for (const error of errors ?? []) {
              expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
            }
          }
        } finally {
          await socket.close();
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 25) * 2 },
    );
    // Everyone else is still served.
    expect((await fetch(`${sut.url}/health`)).status).toBe(200);
    const fresh = await signedInSocket(sut.url, member.token);
    await fresh.close();
  });
});
