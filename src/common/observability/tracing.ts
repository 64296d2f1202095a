import {
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { OnApplicationShutdown } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import type { AppConfig } from '../../config/app-config.js';

export { ATTR_REQUEST_ID } from '../../database/sql-spans.js';

/** The service's version, from package.json (three levels up in the sources, four once built). */
const version = ['../../../package.json', '../../../../package.json']
  .map((relative) => new URL(relative, import.meta.url))
  .filter((file) => existsSync(file))
  .map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version)[0];
const propagator = new W3CTraceContextPropagator();

/** Operation names on spans are cut here: a client's GraphQL name is one token of any length. */
const MAX_OPERATION_NAME = 100;

/** A client's operation name as spans carry it: cut at MAX_OPERATION_NAME characters. */
export const operationNameOnSpan = (name: string): string =>
  name.length > MAX_OPERATION_NAME ? `${name.slice(0, MAX_OPERATION_NAME)}…` : name;

/**
 * OpenTelemetry tracing, on only with OTEL_EXPORTER_OTLP_ENDPOINT: spans are batched and sent
 * over OTLP/HTTP. The provider is this application's own (never the global one), and the
 * service's own seams make the spans (the GraphQL plugin, the REST middleware, the WebSocket
 * server's hooks, the job queue's attempts, the SQL subscriber) rather than module-loading
 * hooks, which are fragile under ESM. Off, there is no tracer at all and no seam is installed.
 */
export class Tracing implements OnApplicationShutdown {
  private constructor(
    readonly tracer: Tracer | undefined,
    private readonly provider?: BasicTracerProvider,
  ) {}

  static fromConfig(config: AppConfig): Tracing {
    const settings = config.tracing;
    if (!settings) return new Tracing(undefined);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: settings.serviceName,
        ...(version ? { [ATTR_SERVICE_VERSION]: version } : {}),
      }),
      // A caller's sampling decision (traceparent) is followed; new traces are sampled at the ratio.
      sampler: new ParentBasedSampler({
        root: new TraceIdRatioBasedSampler(settings.sampleRatio),
      }),
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` })),
      ],
    });
    return new Tracing(provider.getTracer('market-based-dynamics', version), provider);
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** The context a request's first span belongs to: the caller's `traceparent`, if it sent one. */
  static callerContext(headers: Record<string, unknown> | undefined): Context {
    return headers ? propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter) : ROOT_CONTEXT;
  }

  /** Sends what is buffered now (tests; shutdown does it too). */
  async forceFlush(): Promise<void> {
    await this.provider?.forceFlush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}

export { SpanKind, SpanStatusCode, trace, type Span };
