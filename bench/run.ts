/**
 * `npm run bench`: builds the large organisation in PostgreSQL (once; --regenerate to rebuild),
 * starts the service in production mode on it and measures each scenario over HTTP.
 *
 *   DATABASE_URL=postgres://user@host:5432/postgres npm run bench [-- --regenerate]
 *
 * The benchmark database (mbd_bench) is created on that server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../src/database/migrate.js';
import { BENCH_LEAD, BENCH_PASSWORD, generateOrganisation, LARGE } from './generate.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const DATABASE = 'mbd_bench';

interface Timing {
  scenario: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  statements: number;
}

const log = (message: string): void => console.log(message);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function prepareDatabase(serverUrl: string, regenerate: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DATABASE,
    ]);
    if (rowCount && !regenerate) {
      const bench = new pg.Client({ connectionString: url.toString() });
      await bench.connect();
      const { rows } = await bench
        .query(`SELECT count(*)::int AS n FROM employee WHERE email = $1`, [BENCH_LEAD])
        .catch(() => ({ rows: [{ n: 0 }] }));
      await bench.end();
      if (rows[0].n === 1) {
        log(`Reusing the benchmark organisation in ${DATABASE} (--regenerate to rebuild it).`);
        await runMigrations(url.toString());
        return url.toString();
      }
    }
    if (rowCount) await admin.query(`DROP DATABASE ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  await runMigrations(url.toString());
  log(`Building the large organisation in ${DATABASE}:`);
  await generateOrganisation(url.toString(), LARGE, log);
  return url.toString();
}

async function startService(
  databaseUrl: string,
): Promise<{ url: string; child: ChildProcess; coldStartMs: number }> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      JWT_SECRET: 'benchmark-secret-that-is-long-enough-0123456789',
      LOG_LEVEL: 'warn',
      SQL_STATEMENT_HEADER: 'true',
      DASHBOARD_REFRESH_SECONDS: '0',
      // One client sends thousands of calls a minute here: measure the service, not its limits.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  // Cold start: from spawning the process to the first answered GraphQL query.
  for (;;) {
    if (child.exitCode !== null) throw new Error('the service exited during start-up');
    const answered = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) {
      return { url, child, coldStartMs: Number(process.hrtime.bigint() - started) / 1e6 };
    }
    if (Date.now() > deadline) throw new Error('the service did not answer');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The service's peak resident memory so far (Linux VmHWM), in MB. */
async function peakRssMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
}

interface Throughput {
  scenario: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  /** autocannon's histogram has no p95: it lies between these two. */
  p90: number;
  p97_5: number;
  p99: number;
  statements: number;
  failed: number;
}

/** Loads one operation with autocannon (after checking that it answers without errors). */
async function throughput(
  url: string,
  token: string,
  scenario: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Throughput> {
  const body = JSON.stringify({ query, variables });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const probe = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  const answer = (await probe.json()) as { errors?: unknown };
  if (answer.errors) throw new Error(`${scenario}: ${JSON.stringify(answer.errors)}`);
  const statements = Number(probe.headers.get('x-sql-statements'));
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    headers,
    body,
    connections,
    duration: seconds,
  });
  return {
    scenario,
    connections,
    seconds,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    statements,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends one operation repeatedly, one at a time, and reports its latency distribution. */
async function measure(
  url: string,
  token: string,
  scenario: string,
  query: string,
  variables: Record<string, unknown>,
  requests: number,
): Promise<Timing> {
  const send = async (): Promise<{ ms: number; statements: number }> => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (body.errors) throw new Error(`${scenario}: ${JSON.stringify(body.errors)}`);
    return { ms, statements: Number(response.headers.get('x-sql-statements')) };
  };
  for (let i = 0; i < Math.min(30, requests); i++) await send();
  const samples: number[] = [];
  let statements = 0;
  for (let i = 0; i < requests; i++) {
    const sample = await send();
    samples.push(sample.ms);
    statements = sample.statements;
  }
  samples.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    scenario,
    requests,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    statements,
  };
}

const TWELVE_WEEKS = {
  from: new Date(Date.now() - 83 * 86_400_000).toISOString().slice(0, 10),
  to: new Date().toISOString().slice(0, 10),
};

/** The dashboard page's queries, as it sends them; `teamId` is the signed-in lead's team. */
function dashboardScenarios(teamId: string): [string, string, Record<string, unknown>][] {
  return [
    [
      'initiativeOutcomes (first 20, by score)',
      `{ initiativeOutcomes(first: 20) {
          totals { initiativeCount funded spent averageOutcomeScore byStatus { status count } }
          initiatives { nodes { title status budget spent remaining hoursCommittedPerWeek hoursLogged memberCount
            milestoneProgressPercent outcomeScore sponsorTeam { name } memberTeams { name }
            metrics { name baseline latest target progressPercent series } } } } }`,
      {},
    ],
    [
      'marketStats (12 weeks)',
      `query($period: DateRange) { marketStats(first: 60, filter: { period: $period }) { asOf skills {
          skill { name } openDemandHoursPerWeek supplyHoursPerWeek needsPosted needsFilled fillRatePercent
          medianHoursToFill acceptedBids acceptedRate { p25 median p75 } } } }`,
      { period: TWELVE_WEEKS },
    ],
    [
      'ideaFunnel (all time)',
      `{ ideaFunnel { steps { stage reached conversionPercent medianHoursInStage } rejected withdrawn } }`,
      {},
    ],
    [
      'teamPnl (12 weeks, 500 teams)',
      `query($period: DateRange) { teamPnl(period: $period) { period { from to }
          totals { allocated earned spent pledged refunded net }
          weekly { week earned spent pledged }
          teams { name allocated earned spent pledged refunded net balance } } }`,
      { period: TWELVE_WEEKS },
    ],
    [
      'teamLedger (one team, 12 weeks)',
      `query($team: ID!, $period: DateRange) { teamLedger(teamId: $team, period: $period) {
          balance pnl { allocated earned spent pledged refunded net } weekly { week earned spent }
          entries(first: 20) { nodes { kind change at } } } }`,
      { team: teamId, period: TWELVE_WEEKS },
    ],
  ];
}

async function main(): Promise<void> {
  const regenerate = process.argv.includes('--regenerate');
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = await prepareDatabase(serverUrl, regenerate);
  const service = await startService(databaseUrl);
  try {
    const login = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { token employee { homeTeam { id } } } }`,
        variables: { email: BENCH_LEAD, password: BENCH_PASSWORD },
      }),
    });
    const { data } = (await login.json()) as {
      data: { login: { token: string; employee: { homeTeam: { id: string } } } };
    };
    const token = data.login.token;
    const teamId = data.login.employee.homeTeam.id;
    const requests = Number(process.env.BENCH_REQUESTS ?? 300);
    const timings: Timing[] = [];
    log(`\nDashboard queries, one at a time, ${requests} requests each after 30 to warm up:`);
    for (const [scenario, query, variables] of dashboardScenarios(teamId)) {
      timings.push(await measure(service.url, token, scenario, query, variables, requests));
    }
    console.table(timings);
    const target = 50;
    for (const t of timings)
      log(
        `${t.p95 <= target ? 'meets' : 'MISSES'} p95 ≤ ${target} ms: ${t.scenario} (${t.p95} ms)`,
      );
    const results = path.join(ROOT, 'bench/results');
    await mkdir(results, { recursive: true });
    await writeFile(
      path.join(results, 'dashboards.json'),
      `${JSON.stringify({ at: new Date().toISOString(), size: LARGE, timings }, null, 2)}\n`,
    );

    const initiative = (await (
      await fetch(`${service.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ initiatives(first: 1) { nodes { id } } }' }),
      })
    ).json()) as { data: { initiatives: { nodes: { id: string }[] } } };
    log(`\nThroughput under load (autocannon):`);
    const loads: Throughput[] = [];
    for (const [scenario, query, variables] of [
      [
        'nested list: needs(first: 50) with buyer, bids, bidders, skills',
        `query($team: ID!) { needs(first: 50, filter: { buyerTeamId: $team }) { nodes {
            id title status hoursPerWeek ratePerHour buyer { ... on Team { id name } }
            bids(first: 10) { nodes { id hoursPerWeek ratePerHour status
              bidder { id name skills { level skill { name } } } } } } } }`,
        { team: teamId },
      ],
      [
        'single object: initiative(id) with metrics and members',
        `query($id: ID!) { initiative(id: $id) { id title status budget spent outcomeScore
            owner { name } members { hoursPerWeek employee { name } }
            metrics { name unit baseline target progressPercent latest { value at } } } }`,
        { id: initiative.data.initiatives.nodes[0].id },
      ],
    ] as [string, string, Record<string, unknown>][]) {
      loads.push(await throughput(service.url, token, scenario, query, variables));
    }
    console.table(loads);
    const rss = await peakRssMb(service.child.pid!);
    log(`Cold start to first answered query: ${service.coldStartMs.toFixed(0)} ms`);
    log(`Peak RSS of the service: ${rss ?? 'unknown'} MB`);
    await writeFile(
      path.join(results, 'throughput.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          coldStartMs: Math.round(service.coldStartMs),
          peakRssMb: rss,
          loads,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    service.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
