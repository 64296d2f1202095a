import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { StatementCounter } from './database/statement-counter.js';
import { httpLogOptions } from './common/logging/logger.options.js';
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
  app.useBodyParser('json', { limit: '1mb' });
  if (config.sqlStatementHeader)
    app.use((_req: unknown, _res: unknown, next: () => void) => StatementCounter.run(next));
  return app;
}
