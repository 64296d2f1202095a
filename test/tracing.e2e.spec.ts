import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Tracing } from '../src/common/observability/tracing.js';
import { Factory, type Person } from './support/factories.js';
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
  service: unknown;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

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
  let admin: Person;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    sut = await startTestApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'mbd-under-test',
    });
    admin = await new Factory(sut).admin();
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
    // Spans are batched: flush, then wait for the receiver to hold the operation's span.
    await sut.app.get(Tracing).forceFlush();
    const deadline = Date.now() + 30_000;
    const mine = () => receiver.spans.filter((s) => s.attributes['request.id'] === requestId);
    while (!mine().some((s) => s.kind === SPAN_KIND_SERVER)) {
      if (Date.now() > deadline) throw new Error(`no operation span for ${requestId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { requestId, spans: mine(), body };
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

  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: no tracer, no SQL subscriber', async () => {
    const quiet = await startTestApp();
    try {
      expect(quiet.app.get(Tracing).enabled).toBe(false);
      expect(quiet.dataSource.subscribers).toHaveLength(0);
      expect(sut.dataSource.subscribers).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });
});
