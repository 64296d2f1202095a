import { DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { applicationPoolStats } from '../../database/pool-stats.js';
import { SqlSpans } from '../../database/sql-spans.js';
import { GraphQLMetrics } from './graphql-metrics.plugin.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.js';
import { Tracing } from './tracing.js';

/** With tracing on, a span per SQL statement of a traced request (TypeORM subscriber). */
@Injectable()
class SqlTracing {
  constructor(tracing: Tracing, dataSource: DataSource) {
    if (tracing.tracer) dataSource.subscribers.push(new SqlSpans(tracing.tracer));
  }
}

/** The application's pg pool, reported as `pool="app"`. */
@Injectable()
class ApplicationPoolMetrics {
  constructor(metrics: Metrics, dataSource: DataSource) {
    metrics.watchPool('app', () => applicationPoolStats(dataSource));
  }
}

/**
 * Prometheus metrics and OpenTelemetry tracing (README "Metrics and tracing"): global, so that
 * every module declares its own metrics through the injected `Metrics`. Metrics are served at
 * PORT's /metrics with METRICS_TOKEN, or on METRICS_PORT; with neither, kept in memory only as
 * plain counters and never served. Tracing is on with OTEL_EXPORTER_OTLP_ENDPOINT only.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { enabled, port } = config.metrics;
    return {
      module: ObservabilityModule,
      providers: [
        { provide: Metrics, useFactory: () => new Metrics(enabled) },
        {
          provide: GraphQLMetrics,
          useFactory: (m: Metrics) => new GraphQLMetrics(m),
          inject: [Metrics],
        },
        ApplicationPoolMetrics,
        { provide: Tracing, useFactory: () => Tracing.fromConfig(config) },
        SqlTracing,
        ...(enabled && port !== undefined ? [MetricsServer] : []),
      ],
      controllers: enabled && port === undefined ? [MetricsController] : [],
      exports: [Metrics, GraphQLMetrics, Tracing],
    };
  }
}
