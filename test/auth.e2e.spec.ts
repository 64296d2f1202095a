import { JwtService } from '@nestjs/jwt';
import { Factory, TEST_PASSWORD, unique, type Person } from './support/factories.js';
import { codes, startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';
import { until } from './support/poll.js';

describe('Sign-in and authorisation', () => {
  let sut: TestApp;
  let factory: Factory;
  let member: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    member = await factory.person();
  });
  afterAll(() => sut.close());

  const LOGIN = `mutation($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) { token expiresAt employee { id email } }
  }`;
  const ME = `{ me { id } }`;

  it('signs in with e-mail (any case) and password, and the token works', async () => {
    const result = await sut.gql(LOGIN, {
      email: member.employee.email.toUpperCase(),
      password: TEST_PASSWORD,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.login.employee.id).toBe(member.employee.id);
    expect(new Date(result.data!.login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await sut.gql(ME, {}, result.data!.login.token);
    expect(me.data!.me.id).toBe(member.employee.id);
  });

  it('refuses a wrong password and an unknown e-mail alike with UNAUTHENTICATED', async () => {
    const wrong = await sut.gql(LOGIN, {
      email: member.employee.email,
      password: 'not-the-password',
    });
    const unknown = await sut.gql(LOGIN, { email: 'nobody@example.test', password: TEST_PASSWORD });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(codes(unknown)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
    expect(wrong.data).toBeNull();
  });

  it('refuses queries without a token', async () => {
    expect(codes(await sut.gql(ME))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await sut.gql(`{ teams { totalCount } }`))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses expired, forged, foreign-audience and malformed tokens', async () => {
    const jwt = new JwtService();
    const { issuer, audience } = sut.config.jwt;
    const sign = (payload: object, secret = TEST_JWT_SECRET, aud = audience) =>
      jwt.sign(payload, { secret, issuer, audience: aud, subject: member.employee.id });
    const expired = sign({ exp: Math.floor(Date.now() / 1000) - 60 });
    const forged = sign({}, 'another-secret-that-is-also-long-enough-0123456789');
    const foreign = sign({}, TEST_JWT_SECRET, 'someone-else');
    for (const token of [expired, forged, foreign, 'not-a-jwt']) {
      expect(codes(await sut.gql(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses a token from the moment it expires, though it was verified (and remembered) before', async () => {
    const jwt = new JwtService();
    const { issuer, audience } = sut.config.jwt;
    const token = jwt.sign(
      { exp: Math.floor(Date.now() / 1000) + 2 },
      { secret: TEST_JWT_SECRET, issuer, audience, subject: member.employee.id },
    );
    expect((await sut.gql(ME, {}, token)).data!.me.id).toBe(member.employee.id);
    await until(
      'the token is refused',
      async () => codes(await sut.gql(ME, {}, token)).includes('UNAUTHENTICATED'),
      10,
    );
  });

  it('refuses a valid token for someone who does not exist', async () => {
    const jwt = new JwtService();
    const { issuer, audience } = sut.config.jwt;
    const token = jwt.sign(
      {},
      {
        secret: TEST_JWT_SECRET,
        issuer,
        audience,
        subject: '00000000-0000-4000-8000-000000000000',
      },
    );
    expect(codes(await sut.gql(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('gives FORBIDDEN to a member calling an admin mutation, and changes nothing', async () => {
    const name = `Forbidden ${Date.now()}`;
    const result = await sut.gql(
      `mutation($name: String!) { createTeam(input: { name: $name }) { team { id } } }`,
      { name },
      member.token,
    );
    expect(codes(result)).toEqual(['FORBIDDEN']);
    const [{ count }] = await sut.dataSource.query(
      `SELECT count(*)::int AS count FROM team WHERE name = $1`,
      [name],
    );
    expect(count).toBe(0);
  });

  it('lets admins do what members may not', async () => {
    const admin = await factory.admin();
    const name = `Allowed ${Date.now()}`;
    const result = await sut.gql(
      `mutation($name: String!) { createTeam(input: { name: $name }) { team { name } } }`,
      { name },
      admin.token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.createTeam.team.name).toBe(name);
  });

  it('lets employees set their own skills but not somebody else’s', async () => {
    const other = await factory.person();
    const skill = unique('Origami');
    const SET = `mutation($id: ID!, $skill: String!) {
      setEmployeeSkills(input: { employeeId: $id, skills: [{ name: $skill, level: 3 }] }) {
        employee { skills { level skill { name } } }
      }
    }`;
    const own = await sut.gql(SET, { id: member.employee.id, skill }, member.token);
    expect(own.data!.setEmployeeSkills.employee.skills).toEqual([
      { level: 3, skill: { name: skill } },
    ]);
    const theirs = await sut.gql(SET, { id: other.employee.id, skill }, member.token);
    expect(codes(theirs)).toEqual(['FORBIDDEN']);
  });

  it('keeps the audit log to admins', async () => {
    expect(codes(await sut.gql(`{ auditLog { totalCount } }`, {}, member.token))).toEqual([
      'FORBIDDEN',
    ]);
  });
});
