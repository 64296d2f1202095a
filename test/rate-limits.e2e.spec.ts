import { SignJWT } from 'jose';
import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { Factory, TEST_PASSWORD, unique, type Person } from './support/factories.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const ME = '{ me { id } }';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOGIN = `mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A refusal says when to come back, in the header and in the error alike. */
function expectRetryAfter(answer: Answer): number {
  expect(answer.status).toBe(429);
  const seconds = answer.body.errors[0].extensions.retryAfterSeconds;
  expect(Number.isInteger(seconds) && seconds >= 1).toBe(true);
  expect(answer.headers.get('retry-after')).toBe(String(seconds));
  expect(answer.body.errors[0].message).toMatch(new RegExp(`try again in ${seconds} s`));
  return seconds;
}

/** Signs in from a given client address (the service trusts X-Forwarded-For in these tests). */
async function signIn(url: string, email: string, password: string, address: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(address ? { 'x-forwarded-for': address } : {}),
    },
    body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password } }),
  });
  return {
    status: response.status,
    headers: response.headers,
    statements: response.headers.get(STATEMENT_COUNT_HEADER),
    body: (await response.json()) as any,
  };
}

let lastAddress = 0;
/** A client address no other test has used. */
const newAddress = () => `10.${(++lastAddress >> 8) & 255}.${lastAddress & 255}.1`;

describe('Rate limits', () => {
  describe('in one instance', () => {
    let sut: TestApp;
    let factory: Factory;

    beforeAll(async () => {
      sut = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_IP_PER_MINUTE: '40' });
      factory = new Factory(sut);
    });
    afterAll(() => sut.close());

    const post = async (query: string, token?: string) => {
      const response = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query }),
      });
      return {
        status: response.status,
        headers: response.headers,
        statements: response.headers.get(STATEMENT_COUNT_HEADER),
        body: (await response.json()) as any,
      };
    };

    it('counts every root field of an operation, verifying the token once for all of them', async () => {
      const { token } = await factory.person();
      // Five calls a minute: two operations of two root fields leave one, a third is refused.
      const twice = '{ a: me { id } b: me { id } }';
      expect(codes(await sut.gql(twice, {}, token))).toEqual([]);
      expect(codes(await sut.gql(twice, {}, token))).toEqual([]);
      const refused = await post(twice, token);
      expect(refused.status).toBe(429);
      expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
      // The whole operation is refused before it runs: no partial answer.
      expect(refused.body.data).toBeUndefined();
      expectRetryAfter(refused);
    });

    it('limits each employee, leaving others alone, on GraphQL and HTTP routes', async () => {
      const [busy, other]: Person[] = [await factory.person(), await factory.person()];
      // Tokens forged in the busy employee's name count for nobody: they cannot use it up.
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(busy.employee.id)
        .setIssuer(sut.config.jwt.issuer)
        .setAudience(sut.config.jwt.audience)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret'));
      for (let i = 0; i < 6; i++) {
        expect(codes(await sut.gql(ME, {}, forged))).toEqual(['UNAUTHENTICATED']);
      }
      for (let i = 0; i < 4; i++) expect(codes(await sut.gql(ME, {}, busy.token))).toEqual([]);
      const csv = await fetch(`${sut.url}/export/team-pnl.csv`, {
        headers: { authorization: `Bearer ${busy.token}` },
      });
      expect(csv.status).toBe(200);
      const refused = await post(ME, busy.token);
      expect(refused.status).toBe(429);
      expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
      expectRetryAfter(refused);
      // Refused before the access guard reads the database.
      expect(refused.statements).toBe('0');
      const refusedCsv = await fetch(`${sut.url}/export/team-pnl.csv`, {
        headers: { authorization: `Bearer ${busy.token}` },
      });
      expect(refusedCsv.status).toBe(429);
      const csvBody = (await refusedCsv.json()) as any;
      expect(csvBody).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      expect(Number(refusedCsv.headers.get('retry-after'))).toBe(csvBody.error.retryAfterSeconds);
      expect(csvBody.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(codes(await sut.gql(ME, {}, other.token))).toEqual([]);
    });

    it('limits each address, signed in or not, before any parsing, but never health checks', async () => {
      let refused = 0;
      for (let i = 0; i < 45; i++) {
        const person = i % 2 === 0 ? undefined : (await factory.person()).token;
        if (codes(await sut.gql(ME, {}, person)).includes('RATE_LIMITED')) refused++;
      }
      // 40 a minute from this address, some already spent by the tests above.
      expect(refused).toBeGreaterThanOrEqual(5);
      // Even a request that would fail to parse is counted and refused, with the same code.
      const garbage = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{{{' }),
      });
      expect(garbage.status).toBe(429);
      const garbageBody = (await garbage.json()) as any;
      expect(codes(garbageBody)).toEqual(['RATE_LIMITED']);
      expectRetryAfter({ status: 429, headers: garbage.headers, body: garbageBody });
      expect((await fetch(`${sut.url}/health`)).status).toBe(200);
      // As GETs only: a body sent to /health is a request like any other.
      const posted = await fetch(`${sut.url}/health`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
      });
      expect(posted.status).toBe(429);
    });
  });

  describe('sign-in', () => {
    let sut: TestApp;
    let factory: Factory;

    beforeAll(async () => {
      sut = await startTestApp({
        TRUST_PROXY: 'true',
        LOGIN_FAILURES_PER_ACCOUNT: '6',
        LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: '3',
        LOGIN_FAILURES_PER_ADDRESS: '8',
      });
      factory = new Factory(sut);
    });
    afterAll(() => sut.close());

    it('limits failed attempts per account across addresses, before checking the password', async () => {
      const { employee } = await factory.person();
      const bystander = await factory.person();
      // Spread over as many addresses as attempts, so that no one address is held up.
      for (let i = 0; i < 6; i++) {
        const wrong = await signIn(sut.url, employee.email, 'wrong-password', newAddress());
        expect(codes(wrong.body)).toEqual(['UNAUTHENTICATED']);
      }
      // Now the account itself waits, for everyone, right password or not.
      for (let i = 0; i < 3; i++) {
        const refused = await signIn(sut.url, employee.email, TEST_PASSWORD, newAddress());
        expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
        expect(refused.body.data).toBeNull();
        // No credentials read: at most the (bounded) audit record of the refused attempt.
        expect(Number(refused.statements)).toBeLessThanOrEqual(1);
        // Knocking does not make the account wait longer (test/sign-in-throttle.spec.ts shows
        // each attempt that reaches a password doubling the wait).
        expect(expectRetryAfter(refused)).toBe(1);
      }
      // Other accounts are not held up.
      const other = await signIn(sut.url, bystander.employee.email, TEST_PASSWORD, newAddress());
      expect(other.body.errors).toBeUndefined();
    });

    it('makes one address guessing an account wait longer and longer, and nobody else', async () => {
      const { employee } = await factory.person();
      const guesser = newAddress();
      for (let i = 0; i < 3; i++) {
        const wrong = await signIn(sut.url, employee.email, 'wrong-password', guesser);
        expect(codes(wrong.body)).toEqual(['UNAUTHENTICATED']);
      }
      // (Five knocks: with the three failures, as many as the address may fail in an hour.)
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        const refused = await signIn(sut.url, employee.email, TEST_PASSWORD, guesser);
        expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
        waits.push(expectRetryAfter(refused));
      }
      expect(waits).toEqual([2, 4, 8, 16, 32]);
      // The owner, from their own address, is not locked out by a stranger's guesses.
      const owner = await signIn(sut.url, employee.email, TEST_PASSWORD, newAddress());
      expect(owner.body.errors).toBeUndefined();
    });

    it('checks one password per request: a sign-in must be alone in its operation', async () => {
      const { employee } = await factory.person();
      const twice = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': newAddress() },
        body: JSON.stringify({
          query: `mutation($e: String!, $p: String!) {
            ...A
            b: login(input: { email: $e, password: $p }) { token }
          }
          fragment A on Mutation { a: login(input: { email: $e, password: $p }) { token } }`,
          variables: { e: employee.email, p: TEST_PASSWORD },
        }),
      });
      const body = (await twice.json()) as any;
      expect(body.data).toBeNull();
      expect(body.errors.map((e: any) => e.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', field: 'login' },
      ]);
      // No password was checked: the account's attempts are untouched.
      expect(Number(twice.headers.get(STATEMENT_COUNT_HEADER))).toBe(0);
    });

    it('counts an IPv6 client by its /64', async () => {
      const victims = await Promise.all(Array.from({ length: 9 }, () => factory.person()));
      const prefix = `2001:db8:${(++lastAddress).toString(16)}:1`;
      for (let i = 0; i < 8; i++) {
        const wrong = await signIn(
          sut.url,
          victims[i].employee.email,
          'nope',
          `${prefix}::${i + 1}`,
        );
        expect(codes(wrong.body)).toEqual(['UNAUTHENTICATED']);
      }
      const sameNetwork = await signIn(
        sut.url,
        victims[8].employee.email,
        TEST_PASSWORD,
        `${prefix}::ffff`,
      );
      expect(codes(sameNetwork.body)).toEqual(['RATE_LIMITED']);
      const nextNetwork = `2001:db8:${lastAddress.toString(16)}:2::1`;
      const elsewhere = await signIn(
        sut.url,
        victims[8].employee.email,
        TEST_PASSWORD,
        nextNetwork,
      );
      expect(elsewhere.body.errors).toBeUndefined();
    });

    it('does not count successful sign-ins, and forgets an account’s failures once it signs in', async () => {
      const { employee } = await factory.person();
      const office = newAddress();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2; i++) {
          const wrong = await signIn(sut.url, employee.email, 'typo', newAddress());
          expect(codes(wrong.body)).toEqual(['UNAUTHENTICATED']);
        }
        const right = await signIn(sut.url, employee.email, TEST_PASSWORD, office);
        expect(right.body.errors).toBeUndefined();
      }
      // A whole office behind one address signs in, far past any limit on failures.
      for (let i = 0; i < 12; i++) {
        const colleague = await factory.person();
        const ok = await signIn(sut.url, colleague.employee.email, TEST_PASSWORD, office);
        expect(ok.body.errors).toBeUndefined();
      }
    });

    it('limits failures per address, across accounts, leaving other addresses alone', async () => {
      const sprayer = newAddress();
      const victims = await Promise.all(Array.from({ length: 9 }, () => factory.person()));
      for (const victim of victims.slice(0, 8)) {
        const wrong = await signIn(sut.url, victim.employee.email, 'Winter2026!', sprayer);
        expect(codes(wrong.body)).toEqual(['UNAUTHENTICATED']);
      }
      const refused = await signIn(sut.url, victims[8].employee.email, TEST_PASSWORD, sprayer);
      expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
      expectRetryAfter(refused);
      const elsewhere = await signIn(
        sut.url,
        victims[8].employee.email,
        TEST_PASSWORD,
        newAddress(),
      );
      expect(elsewhere.body.errors).toBeUndefined();
    });

    it('records failed sign-ins and refusals in the audit log, within a bound', async () => {
      const { employee } = await factory.person();
      const admin = await factory.person({ isAdmin: true });
      const member = await factory.person();
      const events = async (filter: string) => {
        const result = await sut.gql(
          `{ auditLog(first: 100, filter: { ${filter} }) { totalCount nodes { action subjectId payload actor { id } } } }`,
          {},
          admin.token,
        );
        return result.data!.auditLog;
      };
      for (let i = 0; i < 2; i++) {
        await signIn(sut.url, employee.email, 'wrong-password', newAddress());
      }
      const failed = await events(`action: "auth.login_failed", subjectId: "${employee.id}"`);
      expect(failed.totalCount).toBe(2);
      expect(failed.nodes[0].payload).toMatchObject({ email: employee.email });
      expect(failed.nodes[0].payload.address).toMatch(/^10\./);

      // A member hammering an admin mutation: recorded, but not once per try.
      for (let i = 0; i < 40; i++) {
        const result = await sut.gql(
          `mutation { createTeam(input: { name: "${unique('Nope')}" }) { team { id } } }`,
          {},
          member.token,
        );
        expect(codes(result)).toEqual(['FORBIDDEN']);
      }
      const refusals = await events(`action: "auth.refused", actorId: "${member.employee.id}"`);
      expect(refusals.totalCount).toBeGreaterThanOrEqual(1);
      expect(refusals.totalCount).toBeLessThanOrEqual(20);
      expect(refusals.nodes[0].payload).toMatchObject({ operation: 'Mutation.createTeam' });
    });
  });

  it('refuses the published demo password in production, whoever has it', async () => {
    const production = await startTestApp({ NODE_ENV: 'production', SQL_STATEMENT_HEADER: 'true' });
    try {
      const demo = await new Factory(production).person({ password: 'demo-password' });
      const refused = await signIn(production.url, demo.employee.email, 'demo-password', '');
      expect(codes(refused.body)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await production.close();
    }
  });

  it('shares the counts between instances through Redis', async () => {
    const env = { REDIS_URL, RATE_LIMIT_PER_MINUTE: '4' };
    const [a, b] = [await startTestApp(env), await startTestApp(env)];
    try {
      const person = await new Factory(a).person();
      const answers = [];
      for (const instance of [a, b, a, b, a, b]) {
        answers.push(codes(await instance.gql(ME, {}, person.token))[0] ?? 'OK');
      }
      expect(answers).toEqual(['OK', 'OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
