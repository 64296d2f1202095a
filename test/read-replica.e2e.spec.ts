import { REPLICA_STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { createSiblingDatabase } from './setup/test-database.js';
import { Factory, unique, type Person } from './support/factories.js';
import { StreamingPair, until } from './support/streaming-replica.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

/** One GraphQL call, with how many of its statements the read replica answered. */
async function call(
  sut: TestApp,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<GraphQLResponse & { onReplica: number }> {
  const response = await fetch(`${sut.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse;
  return { ...body, onReplica: Number(response.headers.get(REPLICA_STATEMENT_COUNT_HEADER)) };
}

interface ReplicaHealth {
  httpStatus: number;
  status: string;
  replica: { status: string; state: string; lagMs: number | null; maxLagMs: number };
}

async function health(sut: TestApp): Promise<ReplicaHealth> {
  const response = await fetch(`${sut.url}/health`);
  const body = (await response.json()) as {
    status: string;
    details: { replica: ReplicaHealth['replica'] };
  };
  return { httpStatus: response.status, status: body.status, replica: body.details.replica };
}

const replicaState = async (sut: TestApp): Promise<string> => (await health(sut)).replica.state;

const TEAMS = `query($name: String) { teams(filter: { name: $name }, first: 5) { totalCount } }`;
const TEAM = `query($id: ID!) { team(id: $id) { name } }`;
const CREATE_TEAM = `mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } } }`;

/**
 * DATABASE_READ_URL against a real streaming replica: a primary and a hot standby made from it
 * with pg_basebackup (test/support/streaming-replica.ts), replay paused to make it lag. The
 * contract (README, "Read replica"): stale-tolerant reads of read-only requests (browsing lists,
 * dashboards, exports) may be served by the replica while it is at most
 * DATABASE_READ_MAX_LAG_MS behind, so they may miss the last moments' changes; everything else
 * (mutations and what they read, single objects, the actor and their session) reads the primary.
 */
describe('read replica', () => {
  let pair: StreamingPair;
  /** Allows 60 s of lag: a replica paused for a test still serves its reads, stale. */
  let tolerant: TestApp;
  /** Allows 1 s: a replica paused for longer is left for the primary. */
  let strict: TestApp;
  let admin: Person;
  /** The service's database, on both clusters. */
  let database = '';

  const teamsNamed = async (sut: TestApp, name: string) => {
    const result = await call(sut, TEAMS, { name }, admin.token);
    expect(result.errors).toBeUndefined();
    return { count: result.data!.teams.totalCount as number, fromReplica: result.onReplica > 0 };
  };

  const createTeam = async (sut: TestApp) => {
    const result = await call(sut, CREATE_TEAM, { input: { name: unique('Team') } }, admin.token);
    expect(result.errors).toBeUndefined();
    return { ...(result.data!.createTeam.team as { id: string; name: string }), result };
  };

  /** Replay resumed and the replica holding everything the primary has now. */
  const caughtUp = async () => {
    await pair.resumeReplay();
    const [{ lsn }] = await pair.primary.query<{ lsn: string }>(
      `SELECT pg_current_wal_lsn()::text AS lsn`,
    );
    await until(
      async () =>
        (
          await pair.replica.query<{ done: boolean }>(
            `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done`,
            [lsn],
          )
        )[0].done,
      15_000,
      'the replica to catch up',
    );
  };

  beforeAll(async () => {
    pair = await StreamingPair.start(async (primary) => {
      database = (await createSiblingDatabase(primary.url())).name;
    });
    const replica = {
      DATABASE_READ_URL: pair.replica.url(database),
      DATABASE_READ_CHECK_INTERVAL_MS: '100',
    };
    [tolerant, strict] = await Promise.all([
      startTestApp({ ...replica, DATABASE_READ_MAX_LAG_MS: '60000' }, pair.primary.url(database)),
      startTestApp({ ...replica, DATABASE_READ_MAX_LAG_MS: '1000' }, pair.primary.url(database)),
    ]);
    admin = await new Factory(tolerant).admin();
    await caughtUp();
    await until(async () => (await replicaState(tolerant)) === 'in-use', 15_000, 'replica in use');
    await until(async () => (await replicaState(strict)) === 'in-use', 15_000, 'replica in use');
  }, 60_000);

  afterEach(async () => {
    // A failed test must not leave the next one a paused or stopped replica.
    if (!pair.replica.running()) await pair.replica.start();
    await caughtUp();
  });

  afterAll(async () => {
    await Promise.all([tolerant?.close(), strict?.close()]);
    await pair?.destroy();
  });

  it('serves read-only lists and dashboards from the replica, mutations and the actor from the primary', async () => {
    expect(await health(tolerant)).toMatchObject({
      httpStatus: 200,
      status: 'ok',
      replica: { status: 'up', state: 'in-use', maxLagMs: 60_000 },
    });
    for (const query of [
      `{ needs(first: 5) { totalCount edges { node { id } } } }`,
      `{ teams(first: 5) { totalCount } }`,
      `{ teamPnl { totals { earned } teams(first: 5) { totalCount } } }`,
      `{ initiativeOutcomes { totals { initiativeCount } } }`,
    ]) {
      const result = await call(tolerant, query, {}, admin.token);
      expect(result.errors).toBeUndefined();
      expect({ query, onReplica: result.onReplica > 0 }).toEqual({ query, onReplica: true });
    }
    const mutation = await createTeam(tolerant);
    expect(mutation.result.onReplica).toBe(0);
    // Single objects, and the actor behind every request: the primary.
    const me = await call(tolerant, `{ me { id } }`, {}, admin.token);
    expect(me.data?.me.id).toBe(admin.employee.id);
    expect(me.onReplica).toBe(0);
  });

  it('lets a read-only list be stale within the limit, while a request that wrote reads its own write', async () => {
    await pair.pauseReplay();
    const team = await createTeam(tolerant);

    // The mutation read its team back (payload) on the primary.
    expect(team.result.onReplica).toBe(0);
    // The replica has not replayed it: a list served by it may not show it yet…
    expect(
      await pair.replica.query(`SELECT 1 FROM team WHERE id = $1`, [team.id], database),
    ).toEqual([]);
    expect(await teamsNamed(tolerant, team.name)).toEqual({ count: 0, fromReplica: true });
    // …while the single object, read on the primary, is there.
    const single = await call(tolerant, TEAM, { id: team.id }, admin.token);
    expect(single.data?.team.name).toBe(team.name);
    // Within 60 s, the lagging replica is still in use.
    expect((await health(tolerant)).replica).toMatchObject({ status: 'up', state: 'in-use' });

    await pair.resumeReplay();
    await until(async () => (await teamsNamed(tolerant, team.name)).count === 1);
  });

  it('leaves a replica further behind than DATABASE_READ_MAX_LAG_MS for the primary, and comes back when it has caught up', async () => {
    await pair.pauseReplay();
    const team = await createTeam(strict);

    await until(async () => (await replicaState(strict)) === 'lagging', 10_000, 'lagging');
    const lagging = await health(strict);
    expect(lagging).toMatchObject({
      httpStatus: 200,
      status: 'degraded',
      replica: { status: 'degraded', state: 'lagging', maxLagMs: 1_000 },
    });
    expect(lagging.replica.lagMs ?? Infinity).toBeGreaterThan(1_000);
    // Fresh, from the primary: nothing on the replica.
    expect(await teamsNamed(strict, team.name)).toEqual({ count: 1, fromReplica: false });
    // The same moment, an instance that tolerates 60 s still reads the (stale) replica.
    expect(await teamsNamed(tolerant, team.name)).toEqual({ count: 0, fromReplica: true });

    await pair.resumeReplay();
    await until(async () => (await replicaState(strict)) === 'in-use', 10_000, 'in use again');
    expect(await teamsNamed(strict, team.name)).toEqual({ count: 1, fromReplica: true });
  });

  it('reads the actor and their session on the primary: a session ended while the replica lags is refused', async () => {
    const person = await new Factory(tolerant).person();
    const before = await call(tolerant, TEAMS, {}, person.token);
    expect(before.errors).toBeUndefined();
    await caughtUp();
    await pair.pauseReplay();

    const signOut = await call(
      tolerant,
      `mutation($input: SignOutEverywhereInput!) { signOutEverywhere(input: $input) { employee { id } } }`,
      { input: { employeeId: person.employee.id } },
      person.token,
    );
    expect(signOut.errors).toBeUndefined();

    // The replica still holds the old session version…
    const version = `SELECT session_version AS v FROM employee WHERE id = $1`;
    const [onPrimary] = await pair.primary.query(version, [person.employee.id], database);
    const [onReplica] = await pair.replica.query(version, [person.employee.id], database);
    expect(onReplica.v).not.toBe(onPrimary.v);
    // …but the token is refused, even for a query whose list the replica would serve.
    const after = await call(tolerant, TEAMS, {}, person.token);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
  });

  it('serves CSV exports from the replica', async () => {
    await pair.pauseReplay();
    const team = await createTeam(tolerant);
    const exported = async () => {
      const response = await fetch(`${tolerant.url}/export/team-pnl.csv`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(response.status).toBe(200);
      return response.text();
    };

    expect(await exported()).not.toContain(team.name);

    await pair.resumeReplay();
    await until(
      async () => (await exported()).includes(team.name),
      15_000,
      'the export to catch up',
    );
  });

  it('answers from the primary when the replica stops, and uses it again once it is back', async () => {
    const team = await createTeam(tolerant);
    await caughtUp();
    await pair.replica.stop();

    // No read fails for it, whether the measurement has noticed yet or the read finds out itself.
    for (let i = 0; i < 3; i++) {
      expect((await teamsNamed(tolerant, team.name)).count).toBe(1);
    }
    await until(
      async () => (await replicaState(tolerant)) === 'unreachable',
      10_000,
      'unreachable',
    );
    expect(await health(tolerant)).toMatchObject({
      httpStatus: 200,
      status: 'degraded',
      replica: { status: 'degraded', state: 'unreachable', lagMs: null },
    });
    expect(await teamsNamed(tolerant, team.name)).toEqual({ count: 1, fromReplica: false });

    await pair.replica.start();
    await until(async () => (await replicaState(tolerant)) === 'in-use', 20_000, 'in use again');
    expect(await teamsNamed(tolerant, team.name)).toEqual({ count: 1, fromReplica: true });
  });
});
