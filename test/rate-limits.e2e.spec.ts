import { SignJWT } from 'jose';
import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { Factory, TEST_PASSWORD, type Person } from './support/factories.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const ME = '{ me { id } }';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('Rate limits', () => {
  describe('in one instance', () => {
    let sut: TestApp;
    let factory: Factory;

    beforeAll(async () => {
      sut = await startTestApp({
        LOGIN_RATE_LIMIT_PER_MINUTE: '3',
        RATE_LIMIT_PER_MINUTE: '5',
        RATE_LIMIT_IP_PER_MINUTE: '40',
      });
      factory = new Factory(sut);
    });
    afterAll(() => sut.close());

    it('limits sign-in attempts per address, before checking any password', async () => {
      const { employee } = await factory.person();
      const login = (password: string) =>
        fetch(`${sut.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`,
            variables: { e: employee.email, p: password },
          }),
        });
      for (let i = 0; i < 3; i++) {
        const wrong = (await (await login('wrong-password')).json()) as any;
        expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
      }
      const refused = await login(TEST_PASSWORD);
      const body = (await refused.json()) as any;
      expect(codes(body)).toEqual(['RATE_LIMITED']);
      expect(body.errors[0].message).toMatch(/try again in \d+ s/);
      expect(body.data).toBeNull();
      expect(refused.headers.get(STATEMENT_COUNT_HEADER)).toBe('0');
    });

    it('counts every root field of an operation, verifying the token once for all of them', async () => {
      const { token } = await factory.person();
      // Five calls a minute: two operations of two root fields leave one, a third is refused.
      const twice = '{ a: me { id } b: me { id } }';
      expect(codes(await sut.gql(twice, {}, token))).toEqual([]);
      expect(codes(await sut.gql(twice, {}, token))).toEqual([]);
      expect(codes(await sut.gql(twice, {}, token))).toContain('RATE_LIMITED');
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
      const refused = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${busy.token}` },
        body: JSON.stringify({ query: ME }),
      });
      expect(codes((await refused.json()) as any)).toEqual(['RATE_LIMITED']);
      // Refused before the access guard reads the database.
      expect(refused.headers.get(STATEMENT_COUNT_HEADER)).toBe('0');
      const refusedCsv = await fetch(`${sut.url}/export/team-pnl.csv`, {
        headers: { authorization: `Bearer ${busy.token}` },
      });
      expect(refusedCsv.status).toBe(429);
      expect(await refusedCsv.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
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
      expect(codes((await garbage.json()) as any)).toEqual(['RATE_LIMITED']);
      expect((await fetch(`${sut.url}/health`)).status).toBe(200);
    });
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
