import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './setup/test-database.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';

async function gql(service: ServiceProcess, query: string, token?: string): Promise<any> {
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

async function signInAsDemoAdmin(service: ServiceProcess): Promise<string> {
  const result = await gql(
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
    running = await startServiceProcess(env);
    let token = await signInAsDemoAdmin(running);
    const teams = await gql(running, `{ teams { totalCount nodes { name } } }`, token);
    expect(teams.data.teams.totalCount).toBe(5);
    expect(teams.data.teams.nodes.map((t: { name: string }) => t.name)).toContain(
      'Customer Loyalty',
    );
    const created = await gql(
      running,
      `mutation { createTeam(input: { name: "Survives Restarts" }) { team { id } } }`,
      token,
    );
    expect(created.errors).toBeUndefined();

    expect(await running.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    running = await startServiceProcess(env);
    token = await signInAsDemoAdmin(running);
    const after = await gql(
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
});
