import { findViolations } from '../src/database/invariants.js';
import { unsubscribeToken } from '../src/modules/notification/unsubscribe-token.js';
import { Factory } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/** Attacks on issue 15's inbox, digests and edits. */
describe('Attack 15', () => {
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let ideas: Ideas;

  const FOLLOW = `mutation($input: FollowInput!) { follow(input: $input) { following } }`;
  const INBOX = `{ notifications(first: 50) { nodes { kind subjectId message } } }`;
  const COMMENT = `mutation($input: CommentOnInput!) { commentOn(input: $input) { comment { id } } }`;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    market = new Market(sut, factory);
    ideas = new Ideas(sut);
  });
  afterEach(async () => {
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('follows no draft withdrawn before it was ever submitted (it stays its proposer’s)', async () => {
    const { team } = await market.buyer();
    const proposer = await factory.person();
    const stranger = await factory.person();
    const draft = await ideas.propose(proposer, team, 100, 'Secret plan');
    expectOk(await ideas.withdraw(proposer, draft));
    // The idea itself is NOT_FOUND to the stranger...
    const seen = await sut.gql(
      `query($id: ID!) { idea(id: $id) { id } }`,
      { id: draft },
      stranger.token,
    );
    expect(codes(seen)).toEqual(['NOT_FOUND']);
    // ...and so is following it.
    const followed = await sut.gql(
      FOLLOW,
      { input: { subjectType: 'IDEA', subjectId: draft } },
      stranger.token,
    );
    expect(codes(followed)).toEqual(['NOT_FOUND']);
  });

  it('tells nobody of a mention on a draft they may not see (its title stays private)', async () => {
    const { team } = await market.buyer();
    const proposer = await factory.person();
    const colleague = await factory.person();
    const draft = await ideas.propose(proposer, team, 100, 'Reorganise the floor');
    expectOk(
      await sut.gql(
        COMMENT,
        {
          input: {
            subjectType: 'IDEA',
            subjectId: draft,
            body: `Note to self: ask @${colleague.employee.email} later`,
          },
        },
        proposer.token,
      ),
    );
    const inbox = await sut.gql(INBOX, {}, colleague.token);
    expectOk(inbox);
    expect(inbox.data!.notifications.nodes).toEqual([]);
  });

  it('keeps unsubscribe tokens and session tokens apart', async () => {
    const person = await factory.person();
    const unsubscribe = await unsubscribeToken(sut.config.jwt.secret, person.employee.id, '*');
    // An unsubscribe token is no bearer token...
    const asBearer = await sut.gql(`{ me { id } }`, {}, unsubscribe);
    expect(codes(asBearer)).toEqual(['UNAUTHENTICATED']);
    // ...and a session token no unsubscribe link.
    for (const method of ['GET', 'POST']) {
      const response = await fetch(
        `${sut.url}/notifications/unsubscribe?token=${encodeURIComponent(person.token)}`,
        { method },
      );
      expect(response.status).toBe(400);
    }
  });

  it('answers a deactivated person’s unsubscribe link without a server error', async () => {
    const admin = await factory.admin();
    const leaver = await factory.person();
    expectOk(
      await sut.gql(
        `mutation($input: DeactivateEmployeeInput!) { deactivateEmployee(input: $input) { employee { id } } }`,
        { input: { employeeId: leaver.employee.id } },
        admin.token,
      ),
    );
    const token = await unsubscribeToken(sut.config.jwt.secret, leaver.employee.id, '*');
    const response = await fetch(`${sut.url}/notifications/unsubscribe?token=${token}`, {
      method: 'POST',
    });
    expect(response.status).toBeLessThan(500);
  });
});
