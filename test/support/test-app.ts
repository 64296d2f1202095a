import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { createApp } from '../../src/create-app.js';

/** Made anew for each test process: production refuses any secret published in the source. */
export const TEST_JWT_SECRET = randomBytes(32).toString('base64url');

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string } }[];
}

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  dataSource: DataSource;
  /** POSTs one GraphQL operation, as a client would. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DB_POOL_SIZE: '20',
    // Test files run side by side on a busy machine: a slow pool is not what they test
    // (replay-storm.e2e.spec.ts sets its own, short wait).
    DB_POOL_TIMEOUT_MS: '30000',
    // The suite signs in and calls far faster than people do; rate-limits.e2e.spec.ts lowers these.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    LOGIN_FAILURES_PER_ACCOUNT: '1000000',
    LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: '1000000',
    LOGIN_FAILURES_PER_ADDRESS: '1000000',
    // Apps that do not test jobs only send them: no polling, no schedules, no maintenance
    // (job-queue.e2e.spec.ts turns workers on).
    JOBS_WORKERS: 'false',
    ...env,
  });
}

/**
 * The whole service on the run's test database (or `databaseUrl`, e.g. a suite's own),
 * listening on a random local port.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  databaseUrl = process.env.TEST_DATABASE_URL,
): Promise<TestApp> {
  if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  const config = testConfig(env);
  const app = await createApp(config, databaseUrl);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    app,
    url: base,
    config,
    dataSource: app.get(DataSource),
    async gql(query, variables, token) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<any>;
    },
    close: () => app.close(),
  };
}

/** The error codes of a response, in order. */
export const codes = (response: GraphQLResponse): (string | undefined)[] =>
  (response.errors ?? []).map((e) => e.extensions?.code);
