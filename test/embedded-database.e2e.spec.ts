import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './setup/test-database.js';
import {
  postGraphQL,
  startProdServiceProcess,
  startServiceProcess,
  type ServiceProcess,
} from './support/service-process.js';

async function signInAsDemoAdmin(service: ServiceProcess): Promise<string> {
  const result = await postGraphQL(
    service,
    `mutation { login(input: { email: "admin@example.com", password: "demo-password" }) { token } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data.login.token;
}

describe('The service with no DATABASE_URL (embedded PostgreSQL)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let running: ServiceProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mbd-embedded-'));
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
    };
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with the demo organisation, keeps data across a restart and stops PostgreSQL cleanly', async () => {
    // As `npm start` runs it: the launcher with start:prod's Node options, on the bundle.
    const compileCache = path.join(dataDir, 'compile-cache');
    running = await startProdServiceProcess({ ...env, NODE_COMPILE_CACHE: compileCache });
    let token = await signInAsDemoAdmin(running);
    const teams = await postGraphQL(running, `{ teams { totalCount nodes { name } } }`, token);
    expect(teams.data.teams.totalCount).toBe(5);
    expect(teams.data.teams.nodes.map((t: { name: string }) => t.name)).toContain(
      'Customer Loyalty',
    );
    const created = await postGraphQL(
      running,
      `mutation { createTeam(input: { name: "Survives Restarts" }) { team { id } } }`,
      token,
    );
    expect(created.errors).toBeUndefined();

    expect(await running.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    // Node 22.1+ keeps the compiled bundle for the next start; Node 20 has no compile cache.
    const major = Number(process.versions.node.split('.')[0]);
    expect(existsSync(compileCache)).toBe(major >= 22);

    running = await startProdServiceProcess({ ...env, NODE_COMPILE_CACHE: compileCache });
    token = await signInAsDemoAdmin(running);
    const after = await postGraphQL(
      running,
      `{ teams(filter: { name: "survives" }) { nodes { id } } teams_all: teams { totalCount } }`,
      token,
    );
    expect(after.data.teams.nodes).toEqual([{ id: created.data.createTeam.team.id }]);
    expect(after.data.teams_all.totalCount).toBe(6);

    expect(await running.stop()).toBe(0);
    running = undefined;
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('loses nothing it acknowledged when the service and its PostgreSQL are killed mid-load', async () => {
    // Its own counters: no Redis shared with the suite's other instances, no limits in the way.
    const crashEnv = { ...env, REDIS_URL: '', RATE_LIMIT_PER_MINUTE: '1000000' };
    running = await startServiceProcess({ ...crashEnv, RATE_LIMIT_IP_PER_MINUTE: '1000000' });
    const service = running;
    const token = await signInAsDemoAdmin(service);
    const team = await postGraphQL(
      service,
      `{ teams(filter: { name: "Fulfillment" }) { nodes { id } } }`,
      token,
    );
    const teamId: string = team.data.teams.nodes[0].id;

    // Clients allocate credits with unique memos until the crash; each remembers what succeeded.
    const acknowledged: string[] = [];
    const refusals: string[] = [];
    let crashed = false;
    let enough: () => void;
    const enoughDone = new Promise<void>((resolve) => (enough = resolve));
    const client = async () => {
      while (!crashed) {
        const memo = randomUUID();
        const result = await fetch(service.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: `mutation($input: AllocateCreditsInput!) { allocateCredits(input: $input) { transfer { id } } }`,
            variables: { input: { teamId, amount: 1, memo, idempotencyKey: memo } },
          }),
        }).then(
          (r) => r.json() as Promise<any>,
          () => undefined,
        );
        if (result?.data?.allocateCredits) acknowledged.push(memo);
        else if (!crashed) refusals.push(JSON.stringify(result?.errors ?? 'no answer'));
        if (acknowledged.length >= 60) enough();
        // Before the crash every allocation should go through: stop rather than spin.
        if (refusals.length > 100) throw new Error(`allocations refused: ${refusals.at(-1)}`);
      }
    };
    const clients = Array.from({ length: 10 }, client);
    await Promise.race([enoughDone, Promise.all(clients)]);

    // A power cut: the service and its database both die at once, mid-write.
    const postgresPid = Number(
      (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    service.child.kill('SIGKILL');
    process.kill(postgresPid, 'SIGKILL');
    crashed = true;
    await Promise.all(clients);
    // (A process killed by a signal has a signalCode, not an exitCode, once it has exited.)
    if (service.child.exitCode === null && service.child.signalCode === null) {
      await once(service.child, 'exit');
    }

    // PostgreSQL recovers from its write-ahead log; every acknowledged allocation is there once.
    running = await startServiceProcess(crashEnv);
    const admin = await signInAsDemoAdmin(running);
    const memos = new Map<string, number>();
    let after: string | null = null;
    do {
      const page: any = await fetch(running.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          query: `query($team: ID!, $after: String) { teamLedger(teamId: $team) {
            entries(first: 100, after: $after) { nodes { memo } pageInfo { hasNextPage endCursor } } } }`,
          variables: { team: teamId, after },
        }),
      }).then((r) => r.json());
      const { nodes, pageInfo } = page.data.teamLedger.entries;
      for (const { memo } of nodes) memos.set(memo, (memos.get(memo) ?? 0) + 1);
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);
    expect(acknowledged.filter((memo) => memos.get(memo) !== 1)).toEqual([]);

    expect(await running.stop()).toBe(0);
    running = undefined;
  });
});
