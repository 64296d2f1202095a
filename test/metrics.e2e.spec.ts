import { randomBytes, randomUUID } from 'node:crypto';
import { MAX_OPERATION_NAMES } from '../src/common/observability/graphql-metrics.plugin.js';
import { MetricsServer } from '../src/common/observability/metrics-server.js';
import { JobQueue } from '../src/modules/jobs/job-queue.service.js';
import { Factory } from './support/factories.js';
import { Market } from './support/market.js';
import { subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = randomBytes(32).toString('base64url');

/** One sample of a scrape: `name{labels} value`, labels matched as given (others ignored). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** The values a label takes across the samples of a metric. */
function labelValues(text: string, name: string, label: string): Set<string> {
  const values = new Set<string>();
  const pattern = new RegExp(`^${name}\\{[^}]*\\b${label}="([^"]*)"`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (match) values.add(match[1]);
  }
  return values;
}

/** Polls `check` (a scrape's condition) until it holds. */
async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Prometheus metrics', () => {
  describe('with METRICS_TOKEN, at /metrics on the service port', () => {
    let sut: TestApp;
    let factory: Factory;
    const scrape = async (): Promise<string> => {
      const response = await fetch(`${sut.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };

    beforeAll(async () => {
      sut = await startTestApp({ METRICS_TOKEN: TOKEN });
      factory = new Factory(sut);
    });
    afterAll(() => sut.close());

    it('answers only requests bearing the token', async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN]) {
        const response = await fetch(`${sut.url}/metrics`, {
          headers: authorization ? { authorization } : {},
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await response.text()).not.toMatch(/mbd_/);
      }
    });

    it("exposes Node's own metrics, the event loop's lag among them", async () => {
      const text = await scrape();
      expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    });

    it('counts GraphQL requests, their latency and SQL statements by operation name and outcome', async () => {
      const admin = await factory.admin();
      const name = `Skills${randomUUID().replaceAll('-', '')}`;
      for (let i = 0; i < 3; i++) {
        const ok = await sut.gql(
          `query ${name} { skills(first: 5) { totalCount } }`,
          {},
          admin.token,
        );
        expect(ok.errors).toBeUndefined();
      }
      const refused = await sut.gql(`query ${name} { skills(first: 5) { totalCount } }`);
      expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

      const text = await scrape();
      const ok = { operation: name, outcome: 'ok' };
      expect(sample(text, 'mbd_graphql_requests_total', ok)).toBe(3);
      expect(
        sample(text, 'mbd_graphql_requests_total', { operation: name, outcome: 'error' }),
      ).toBe(1);
      expect(sample(text, 'mbd_graphql_request_duration_seconds_count', ok)).toBe(3);
      expect(sample(text, 'mbd_graphql_request_duration_seconds_sum', ok)).toBeGreaterThan(0);
      expect(
        sample(text, 'mbd_graphql_request_duration_seconds_bucket', { ...ok, le: '+Inf' }),
      ).toBe(3);
      // Four requests; each authenticated one read the database at least once.
      expect(sample(text, 'mbd_graphql_sql_statements_count', { operation: name })).toBe(4);
      expect(
        sample(text, 'mbd_graphql_sql_statements_sum', { operation: name }),
      ).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, 'mbd_graphql_errors_total', { code: 'UNAUTHENTICATED' }),
      ).toBeGreaterThanOrEqual(1);
    });

    it('labels anonymous and unparsable operations, and counts errors by extensions.code', async () => {
      const before = await scrape();
      const errorsBefore =
        sample(before, 'mbd_graphql_errors_total', { code: 'BAD_USER_INPUT' }) ?? 0;
      await sut.gql('{ skills(first: 1) { totalCount } }');
      await sut.gql('query Broken { skills(first: ');
      const admin = await factory.admin();
      const refused = await sut.gql(
        'mutation Allocate($input: AllocateCreditsInput!) { allocateCredits(input: $input) { transfer { id } } }',
        { input: { teamId: randomUUID(), amount: -5 } },
        admin.token,
      );
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

      const text = await scrape();
      expect(
        sample(text, 'mbd_graphql_requests_total', { operation: 'anonymous' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'mbd_graphql_requests_total', { operation: 'unknown', outcome: 'error' }),
      ).toBeGreaterThanOrEqual(1);
      expect(labelValues(text, 'mbd_graphql_requests_total', 'operation')).not.toContain('Broken');
      expect(sample(text, 'mbd_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(
        errorsBefore + 1,
      );
    });

    it(`keeps at most ${MAX_OPERATION_NAMES} operation names, counting the rest as "other"`, async () => {
      for (let i = 0; i < MAX_OPERATION_NAMES + 10; i++) {
        await sut.gql(`query Flood${i} { __typename }`);
      }
      const text = await scrape();
      const names = labelValues(text, 'mbd_graphql_requests_total', 'operation');
      names.delete('anonymous');
      names.delete('unknown');
      names.delete('other');
      expect(names.size).toBe(MAX_OPERATION_NAMES);
      expect(
        sample(text, 'mbd_graphql_requests_total', { operation: 'other', outcome: 'ok' }),
      ).toBeGreaterThanOrEqual(10);
      expect(names).not.toContain(`Flood${MAX_OPERATION_NAMES + 9}`);
    });

    it('reports both PostgreSQL pools: in use, idle, waiting and their size', async () => {
      const text = await scrape();
      expect(sample(text, 'mbd_db_pool_max', { pool: 'app' })).toBe(20);
      expect(sample(text, 'mbd_db_pool_max', { pool: 'jobs' })).toBe(2);
      expect(
        sample(text, 'mbd_db_pool_connections', { pool: 'app', state: 'idle' }),
      ).toBeGreaterThan(0);
      expect(sample(text, 'mbd_db_pool_connections', { pool: 'app', state: 'in_use' })).toBe(0);
      expect(sample(text, 'mbd_db_pool_waiting', { pool: 'app' })).toBe(0);
    });

    it('reads the job queue depth when scraped', async () => {
      const jobs = sut.app.get(JobQueue);
      const name = `test.metrics-${randomUUID().slice(0, 8)}`;
      await jobs.define({ name, handler: () => undefined });
      await jobs.send(name, {});
      await jobs.send(name, {});
      // No workers in this app: the jobs stay waiting.
      expect(sample(await scrape(), 'mbd_job_queue_jobs', { name, state: 'created' })).toBe(2);
    });

    it('counts ledger transfers by kind once committed', async () => {
      const kind = { kind: 'ALLOCATION' };
      const before = sample(await scrape(), 'mbd_ledger_transfers_total', kind) ?? 0;
      const team = await factory.team();
      await factory.allocate(team.id, 100);
      await factory.allocate(team.id, 50);
      expect(sample(await scrape(), 'mbd_ledger_transfers_total', kind)).toBe(before + 2);
    });

    it('counts WebSocket connections and their subscriptions', async () => {
      const market = new Market(sut, factory);
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const subscriber = subscribe(
        sut.url,
        lead.token,
        'subscription($needId: ID!) { bidPlaced(needId: $needId) { id } }',
        { needId },
      );
      try {
        await eventually(async () => {
          const text = await scrape();
          return sample(text, 'mbd_graphql_ws_subscriptions', { state: 'running' }) === 1 && text;
        }, 'the subscription to run');
        expect(sample(await scrape(), 'mbd_graphql_ws_connections')).toBe(1);
      } finally {
        await subscriber.close();
      }
      await eventually(
        async () => sample(await scrape(), 'mbd_graphql_ws_connections') === 0,
        'the connection to close',
      );
    });
  });

  describe('with METRICS_PORT, on a port of its own', () => {
    let sut: TestApp;
    let metricsUrl: string;

    beforeAll(async () => {
      sut = await startTestApp({
        METRICS_PORT: '0',
        JOBS_WORKERS: 'true',
        JOBS_POLL_INTERVAL_MS: '500',
      });
      metricsUrl = `http://127.0.0.1:${sut.app.get(MetricsServer).port()}/metrics`;
    });
    afterAll(() => sut.close());

    it('serves /metrics there only, on this machine, without a token when none is set', async () => {
      expect((await fetch(`${sut.url}/metrics`)).status).toBe(404);
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^mbd_db_pool_max\{pool="app"\} 20$/m);
      expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
      expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(405);
    });

    it('counts failed job attempts by job name', async () => {
      const jobs = sut.app.get(JobQueue);
      const name = `test.metrics-failing-${randomUUID().slice(0, 8)}`;
      await jobs.define({
        name,
        retryLimit: 0,
        handler: () => {
          throw new Error('refused on purpose');
        },
      });
      await jobs.send(name, {});
      await eventually(async () => {
        const text = await (await fetch(metricsUrl)).text();
        return sample(text, 'mbd_job_attempts_failed_total', { name }) === 1;
      }, 'the failed attempt to be counted');
    });
  });

  it('is off unless configured: no /metrics route', async () => {
    const sut = await startTestApp();
    try {
      const response = await fetch(`${sut.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(404);
    } finally {
      await sut.close();
    }
  });
});
