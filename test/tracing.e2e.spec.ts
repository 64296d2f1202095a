import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { PubSubEngine } from 'graphql-subscriptions';
import { Tracing } from '../src/common/observability/tracing.js';
import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import { JobQueue } from '../src/modules/jobs/job-queue.service.js';
import { notificationTopic } from '../src/modules/notification/notification.service.js';
import { ScimUsersService } from '../src/modules/provisioning/scim/scim-users.service.js';
import { Factory, type Person } from './support/factories.js';
import { Market } from './support/market.js';
import { until } from './support/poll.js';
import { listenerAttached, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A span as OTLP/JSON carries it (the parts these tests read). */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status?: { code?: number };
  links?: { traceId: string; spanId: string }[];
  service: unknown;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_CONSUMER = 5;
const STATUS_ERROR = 2;

const hex = (): string => randomUUID().replaceAll('-', '');

/** An OTLP/HTTP collector in this process: what the exporter posts to /v1/traces, as JSON. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly paths: string[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.paths.push(request.url ?? '');
        this.receive(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private receive(body: any): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = attributes(resourceSpans.resource?.attributes)['service.name'];
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({ ...span, attributes: attributes(span.attributes), service });
        }
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function attributes(list: { key: string; value: Record<string, unknown> }[] = []) {
  return Object.fromEntries(
    list.map(({ key, value }) => {
      const [, v] = Object.entries(value)[0] ?? [];
      const array = (v as { values?: { stringValue: string }[] })?.values;
      return [key, array ? array.map((item) => item.stringValue) : v];
    }),
  );
}

describe('OpenTelemetry tracing', () => {
  const receiver = new OtlpReceiver();
  let sut: TestApp;
  let factory: Factory;
  let admin: Person;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    sut = await startTestApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'mbd-under-test',
      // Job handlers are traced where they run: this instance works the queue, polling fast.
      JOBS_WORKERS: 'true',
      JOBS_POLL_INTERVAL_MS: '500',
    });
    factory = new Factory(sut);
    admin = await factory.admin();
  });
  afterAll(async () => {
    await sut.close();
    await receiver.close();
  });

  /** POSTs an operation with its request id (and caller headers); the spans of that request. */
  async function traced(
    query: string,
    headers: Record<string, string> = {},
  ): Promise<{ requestId: string; spans: ReceivedSpan[]; body: any }> {
    const requestId = `trace-${randomUUID()}`;
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${admin.token}`,
        'x-request-id': requestId,
        ...headers,
      },
      body: JSON.stringify({ query }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const body = await response.json();
    return { requestId, spans: await spansOfRequest(requestId), body };
  }

  /** Flushes the batched spans until the receiver holds those `check` waits for. */
  async function received(what: string, check: (spans: ReceivedSpan[]) => boolean): Promise<void> {
    await until(
      what,
      async () => {
        await sut.app.get(Tracing).forceFlush();
        return check(receiver.spans);
      },
      30,
    );
  }

  /** The spans of one request, once its SERVER span (ended last) has arrived. */
  async function spansOfRequest(requestId: string): Promise<ReceivedSpan[]> {
    const mine = (spans: ReceivedSpan[]) =>
      spans.filter((s) => s.attributes['request.id'] === requestId);
    await received(`the server span of ${requestId}`, (spans) =>
      mine(spans).some((s) => s.kind === SPAN_KIND_SERVER),
    );
    return mine(receiver.spans);
  }

  async function spanNamed(name: string): Promise<ReceivedSpan> {
    await received(`a span named ${name}`, (spans) => spans.some((s) => s.name === name));
    return receiver.spans.find((s) => s.name === name)!;
  }

  const childrenOf = (parent: ReceivedSpan): ReceivedSpan[] =>
    receiver.spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);

  /** SQL statement spans under `parent`, each carrying `requestId`. */
  function expectStatementsUnder(parent: ReceivedSpan, requestId: string): void {
    const statements = childrenOf(parent);
    expect(statements.length).toBeGreaterThanOrEqual(1);
    for (const statement of statements) {
      expect(statement).toMatchObject({
        kind: SPAN_KIND_CLIENT,
        attributes: { 'request.id': requestId, 'db.system.name': 'postgresql' },
      });
    }
    expect(statements.map((s) => s.name)).toContain('SELECT');
  }

  it('sends a span per GraphQL operation and per SQL statement, the statements its children', async () => {
    const name = `Teams${randomUUID().replaceAll('-', '')}`;
    const { requestId, spans, body } = await traced(
      `query ${name} { teams(first: 3) { totalCount nodes { id name } } }`,
    );
    expect(body.errors).toBeUndefined();
    const operation = spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
    expect(operation).toMatchObject({
      name: `query ${name}`,
      service: 'mbd-under-test',
      attributes: {
        'request.id': requestId,
        'graphql.operation.type': 'query',
        'graphql.operation.name': name,
      },
    });
    expect(operation.parentSpanId ?? '').toBe('');
    expect(operation.status?.code ?? 0).not.toBe(STATUS_ERROR);

    const statements = spans.filter((s) => s.kind === SPAN_KIND_CLIENT);
    expect(statements.length).toBeGreaterThanOrEqual(2);
    for (const statement of statements) {
      expect(statement.traceId).toBe(operation.traceId);
      expect(statement.parentSpanId).toBe(operation.spanId);
      expect(statement.attributes).toMatchObject({
        'request.id': requestId,
        'db.system.name': 'postgresql',
      });
      expect(statement.attributes['db.query.text']).toMatch(/\S/);
    }
    expect(statements.map((s) => s.name)).toContain('SELECT');
    // Every span of the request carries its id: none was left out of the filter above.
    const sameTrace = receiver.spans.filter((s) => s.traceId === operation.traceId);
    expect(sameTrace).toHaveLength(spans.length);
    expect(receiver.paths.every((path) => path === '/v1/traces')).toBe(true);
  });

  it("marks a failed operation's span with its error codes", async () => {
    const { spans } = await traced(`query Missing { team(id: "${randomUUID()}") { id } }`);
    const operation = spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
    expect(operation.status?.code).toBe(STATUS_ERROR);
    expect(operation.attributes['graphql.error.codes']).toEqual(['NOT_FOUND']);
  });

  it("continues the caller's trace from its traceparent header", async () => {
    const traceId = randomUUID().replaceAll('-', '');
    const parentId = randomUUID().replaceAll('-', '').slice(0, 16);
    const { spans } = await traced('query Caller { me { id } }', {
      traceparent: `00-${traceId}-${parentId}-01`,
    });
    const operation = spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
    expect(operation.traceId).toBe(traceId);
    expect(operation.parentSpanId).toBe(parentId);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
  });

  describe('REST routes', () => {
    let scimToken: string;

    beforeAll(async () => {
      const created = await sut.gql(
        `mutation($input: CreateScimTokenInput!) { createScimToken(input: $input) { token } }`,
        { input: { name: `Tracing ${hex()}` } },
        admin.token,
      );
      scimToken = created.data!.createScimToken.token;
    });

    /** One REST request with its own id; its answer's status and the spans of the request. */
    async function rest(
      path: string,
      headers: Record<string, string> = {},
    ): Promise<{ requestId: string; status: number; spans: ReceivedSpan[] }> {
      const requestId = `rest-${randomUUID()}`;
      const response = await fetch(`${sut.url}${path}`, {
        headers: { 'x-request-id': requestId, ...headers },
      });
      await response.arrayBuffer();
      return { requestId, status: response.status, spans: await spansOfRequest(requestId) };
    }

    it("sends a SERVER span per request named by its route, the caller's trace continued, its SQL the children", async () => {
      const traceId = hex();
      const parentId = hex().slice(0, 16);
      const { requestId, status, spans } = await rest(`/scim/v2/Users/${admin.employee.id}`, {
        authorization: `Bearer ${scimToken}`,
        traceparent: `00-${traceId}-${parentId}-01`,
      });
      expect(status).toBe(200);
      const request = spans.filter((s) => s.kind === SPAN_KIND_SERVER);
      expect(request).toHaveLength(1);
      expect(request[0]).toMatchObject({
        name: 'GET /scim/v2/Users/:id',
        traceId,
        parentSpanId: parentId,
        service: 'mbd-under-test',
        attributes: {
          'request.id': requestId,
          'http.request.method': 'GET',
          'http.route': '/scim/v2/Users/:id',
          'http.response.status_code': 200,
        },
      });
      expect(request[0].status?.code ?? 0).not.toBe(STATUS_ERROR);
      expectStatementsUnder(request[0], requestId);
      // Every statement of the request is under its span, none elsewhere.
      expect(spans.filter((s) => s.kind === SPAN_KIND_CLIENT)).toHaveLength(
        childrenOf(request[0]).length,
      );
    });

    it('marks a 5xx answer as an error, and a 4xx one not', async () => {
      const scim = { authorization: `Bearer ${scimToken}` };
      const missing = await rest(`/scim/v2/Users/${randomUUID()}`, scim);
      expect(missing.status).toBe(404);
      const refused = missing.spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
      expect(refused.attributes['http.response.status_code']).toBe(404);
      expect(refused.status?.code ?? 0).not.toBe(STATUS_ERROR);

      const users = sut.app.get(ScimUsersService);
      const get = users.get;
      users.get = () => Promise.reject(new Error('the directory is on fire'));
      try {
        const failed = await rest(`/scim/v2/Users/${randomUUID()}`, scim);
        expect(failed.status).toBe(500);
        const span = failed.spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
        expect(span).toMatchObject({
          name: 'GET /scim/v2/Users/:id',
          status: { code: STATUS_ERROR },
          attributes: { 'http.response.status_code': 500, 'error.type': '500' },
        });
      } finally {
        users.get = get;
      }
    });

    it('traces a CSV export, and never /health nor /metrics', async () => {
      const health = `health-${randomUUID()}`;
      const metrics = `metrics-${randomUUID()}`;
      await (await fetch(`${sut.url}/health`, { headers: { 'x-request-id': health } })).text();
      await (await fetch(`${sut.url}/metrics`, { headers: { 'x-request-id': metrics } })).text();

      const { requestId, status, spans } = await rest('/export/team-pnl.csv', {
        authorization: `Bearer ${admin.token}`,
      });
      expect(status).toBe(200);
      const request = spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
      expect(request).toMatchObject({
        name: 'GET /export/team-pnl.csv',
        attributes: { 'http.route': '/export/team-pnl.csv', 'http.response.status_code': 200 },
      });
      expectStatementsUnder(request, requestId);
      // Both were answered before the export was sent, so flushed with it or earlier.
      const untraced = receiver.spans.filter((s) =>
        [health, metrics].includes(String(s.attributes['request.id'])),
      );
      expect(untraced).toEqual([]);
    });
  });

  it("sends a span per subscription started and per event delivered, the event's SQL its children", async () => {
    const market = new Market(sut, factory);
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 1, weeks: 1 });
    const name = `Notified${hex()}`;
    const subscriber = subscribe(
      sut.url,
      lead.token,
      `subscription ${name} { notificationReceived { kind subjectId } }`,
      {},
    );
    try {
      await listenerAttached(
        sut.app.get<PubSubEngine>(PUB_SUB),
        notificationTopic(lead.employee.id),
      );
      await market.bid(worker, needId, 1);
      expect((await subscriber.next()).data.notificationReceived).toEqual({
        kind: 'BID_RECEIVED',
        subjectId: needId,
      });
    } finally {
      await subscriber.close();
    }

    const started = await spanNamed(`subscription ${name}`);
    expect(started).toMatchObject({
      kind: SPAN_KIND_SERVER,
      attributes: {
        'graphql.operation.type': 'subscription',
        'graphql.operation.name': name,
      },
    });
    expect(started.status?.code ?? 0).not.toBe(STATUS_ERROR);
    const requestId = started.attributes['request.id'];
    expect(requestId).toEqual(expect.any(String));

    const event = await spanNamed(`subscription ${name} event`);
    expect(event).toMatchObject({
      kind: SPAN_KIND_CONSUMER,
      attributes: { 'request.id': requestId, 'graphql.operation.name': name },
      links: [expect.objectContaining({ traceId: started.traceId, spanId: started.spanId })],
    });
    expect(event.status?.code ?? 0).not.toBe(STATUS_ERROR);
    expectStatementsUnder(event, String(requestId));
  });

  it('sends a CONSUMER span per job run, its SQL the children, a failed attempt marked ERROR', async () => {
    const name = `test.traced-${hex().slice(0, 8)}`;
    const jobs = sut.app.get(JobQueue);
    await jobs.define({
      name,
      retryLimit: 1,
      retryDelaySeconds: 0,
      retryBackoff: false,
      handler: async (_data, job) => {
        await sut.dataSource.query('SELECT 1 AS traced');
        if (job.retryCount === 0) throw new Error('the first attempt fails');
      },
    });
    const id = await jobs.send(name, {});
    const runsOf = (spans: ReceivedSpan[]) => spans.filter((s) => s.name === `job ${name}`);
    await received(`two runs of ${name}`, (spans) => runsOf(spans).length === 2);

    const runs = runsOf(receiver.spans).sort(
      (a, b) =>
        Number(a.attributes['pgboss.job.retry_count']) -
        Number(b.attributes['pgboss.job.retry_count']),
    );
    for (const [attempt, run] of runs.entries()) {
      expect(run).toMatchObject({
        kind: SPAN_KIND_CONSUMER,
        attributes: {
          'messaging.system': 'pg-boss',
          'messaging.operation.type': 'process',
          'messaging.destination.name': name,
          'messaging.message.id': id,
          'pgboss.job.retry_count': attempt,
          'request.id': id,
        },
      });
      expect(run.parentSpanId ?? '').toBe('');
      expectStatementsUnder(run, id!);
    }
    expect(runs[0].status?.code).toBe(STATUS_ERROR);
    expect(runs[1].status?.code ?? 0).not.toBe(STATUS_ERROR);
  });

  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: no tracer, no SQL subscriber, no HTTP middleware', async () => {
    const quiet = await startTestApp();
    const middleware = (app: TestApp): string[] =>
      (
        app.app.getHttpAdapter().getInstance() as { router: { stack: { name: string }[] } }
      ).router.stack.map((layer) => layer.name);
    try {
      expect(quiet.app.get(Tracing).enabled).toBe(false);
      expect(quiet.dataSource.subscribers).toHaveLength(0);
      expect(sut.dataSource.subscribers).toHaveLength(1);
      expect(middleware(quiet)).not.toContain('traceHttpRequest');
      expect(middleware(sut)).toContain('traceHttpRequest');
    } finally {
      await quiet.close();
    }
  });
});
