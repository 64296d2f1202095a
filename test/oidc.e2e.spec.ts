import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Factory, type Person } from './support/factories.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const AUDIENCE = 'market-based-dynamics-sso';

describe('Single sign-on (OIDC)', () => {
  let idp: Server;
  let issuer: string;
  let key: CryptoKey;
  let sut: TestApp;
  let person: Person;

  beforeAll(async () => {
    // A stand-in identity provider: one RS256 key, published as a JWKS.
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] };
    idp = createServer((req, res) => {
      res.writeHead(req.url === '/keys' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    sut = await startTestApp({
      OIDC_ISSUER: issuer,
      OIDC_JWKS_URL: `${issuer}/keys`,
      OIDC_AUDIENCE: AUDIENCE,
    });
    person = await new Factory(sut).person();
  });
  afterAll(async () => {
    await sut.close();
    await new Promise((resolve) => idp.close(resolve));
  });

  const token = (
    claims: Record<string, unknown>,
    options: { audience?: string; expires?: string; signWith?: CryptoKey; issuer?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject('idp-user-1')
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.signWith ?? key);

  const me = (bearer: string) => sut.gql('{ me { id } }', {}, bearer);

  it('signs in the employee whose e-mail the provider vouches for', async () => {
    const result = await me(
      await token({ email: person.employee.email.toUpperCase(), email_verified: true }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.me.id).toBe(person.employee.id);
    // The service's own tokens keep working beside it.
    expect((await me(person.token)).data!.me.id).toBe(person.employee.id);
  });

  it('refuses tokens that are expired, for another audience, badly signed or unverified', async () => {
    const email = person.employee.email;
    const verified = { email, email_verified: true };
    const other = (await generateKeyPair('RS256')).privateKey;
    const refused = [
      await token(verified, { expires: '-1m' }),
      await token(verified, { audience: 'someone-else' }),
      await token(verified, { signWith: other }),
      await token({ email, email_verified: false }),
      await token({ email }), // no email_verified claim: not vouched for
      await token({}),
      await token({ email: 'nobody@example.test', email_verified: true }),
    ];
    for (const bearer of refused) expect(codes(await me(bearer))).toEqual(['UNAUTHENTICATED']);
  });

  it('counts every token the provider issues for one person against that person', async () => {
    const limited = await startTestApp({
      OIDC_ISSUER: issuer,
      OIDC_JWKS_URL: `${issuer}/keys`,
      OIDC_AUDIENCE: AUDIENCE,
      RATE_LIMIT_PER_MINUTE: '3',
    });
    try {
      const claims = { email: person.employee.email, email_verified: true };
      const answers: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) {
        // A fresh token each time, as a provider refreshing it would issue (another jti).
        const bearer = await token({ ...claims, jti: `token-${i}` });
        const result = await limited.gql('{ me { id } }', {}, bearer);
        answers.push(codes(result)[0] ?? 'OK');
      }
      expect(answers).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED']);
    } finally {
      await limited.close();
    }
  });
});
