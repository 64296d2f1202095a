import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ReadRouting } from './database/read-routing.js';
import { StatementCounter } from './database/statement-counter.js';
import { httpLogOptions } from './common/logging/logger.options.js';
import { httpTracing } from './common/observability/http-tracing.middleware.js';
import { Tracing } from './common/observability/tracing.js';
import { RateLimits } from './common/rate-limit/rate-limits.js';

/** The application as `main.ts` and the tests run it, on the given database. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Behind a load balancer, req.ip (rate limits, logs) is the client's only with this set.
  app.set('trust proxy', config.trustProxy);
  // Every request gets its id and its log line, refused ones included.
  app.use(pinoHttp({ ...httpLogOptions(config), logger: PinoLogger.root }));
  // Every request counts against its address before any other work (health checks excepted).
  app.use(app.get(RateLimits).addressMiddleware());
  // Security headers on every route (the dashboard page loads only its own scripts and styles).
  app.use(helmet());
  // SCIM clients send application/scim+json (RFC 7644 §3.1).
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/scim+json'] });
  // With a replica, each request reads from the primary until it is declared read-only (README,
  // "Read replica"). Without one there is nothing to route (and no AsyncLocalStorage to pay for).
  if (config.readReplica) {
    app.use((_req: unknown, _res: unknown, next: () => void) => ReadRouting.run(next));
  }
  // Each request's scope: its statements counted for the header and for metrics, its id and
  // span for tracing (AsyncLocalStorage: on Node 20 and 22 it turns on promise hooks, so only
  // when something reads it).
  if (config.sqlStatementHeader || config.metrics.enabled || config.tracing) {
    app.use((req: { id?: unknown }, _res: unknown, next: () => void) =>
      StatementCounter.run(next, typeof req.id === 'string' ? req.id : undefined),
    );
  }
  // With tracing on, a span per REST request, in that scope (GraphQL has its own plugin).
  const tracer = app.get(Tracing).tracer;
  if (tracer) app.use(httpTracing(tracer));
  return app;
}
