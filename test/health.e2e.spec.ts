import { jest } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { createApp } from '../src/create-app.js';
import { startTestApp, testConfig, type TestApp } from './support/test-app.js';

/**
 * Only `Date` is faked: the health check's one-second reuse reads the clock, and the tests move
 * it instead of waiting. Network, timers and the database run for real.
 */
function freezeClock(): void {
  jest.useFakeTimers({
    now: Date.now(),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
const moveClock = (ms: number): void => jest.setSystemTime(Date.now() + ms);

/** Counts the SQL statements an app sends (every one goes through its logger first), passing them on. */
function countStatements(dataSource: DataSource): { count: () => number; stop: () => void } {
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  let statements = 0;
  logger.logQuery = (...args) => {
    statements++;
    return logQuery(...args);
  };
  return { count: () => statements, stop: () => (logger.logQuery = logQuery) };
}

describe('GET /health', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());
  afterEach(() => jest.useRealTimers());

  it('reports the process and the database up, without a token', async () => {
    const response = await fetch(`${sut.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
    });
  });

  it('echoes a request id for log correlation', async () => {
    const response = await fetch(`${sut.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    const generated = await fetch(`${sut.url}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks the database at most once a second, however many requests come', async () => {
    freezeClock();
    moveClock(60_000); // past any earlier answer
    const statements = countStatements(sut.dataSource);
    try {
      const concurrent = await Promise.all(
        Array.from({ length: 200 }, () => fetch(`${sut.url}/health`)),
      );
      const sequential: Response[] = [];
      for (let i = 0; i < 50; i++) sequential.push(await fetch(`${sut.url}/health`));
      moveClock(999); // still within the second
      sequential.push(await fetch(`${sut.url}/health`));

      const answers = [...concurrent, ...sequential];
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
      expect(statements.count()).toBe(1);

      moveClock(2); // the second is over: the next request asks again
      expect((await fetch(`${sut.url}/health`)).status).toBe(200);
      expect(statements.count()).toBe(2);
    } finally {
      statements.stop();
    }
  });

  describe('when its database goes away', () => {
    let admin: pg.Client;
    let database: string;
    let app: NestExpressApplication;
    let url: string;

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      database = `mbd_health_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const databaseUrl = new URL(process.env.TEST_DATABASE_URL!);
      databaseUrl.pathname = `/${database}`;
      // The job queue refuses to start without its schema (the rest of the service starts on an
      // empty database): pg-boss's own plan installs it, as migrations/…-JobQueue.ts does.
      const installer = new pg.Client({ connectionString: databaseUrl.href });
      await installer.connect();
      await installer.query(PgBoss.getConstructionPlans('pgboss'));
      await installer.end();
      app = await createApp(testConfig({ DASHBOARD_REFRESH_SECONDS: '0' }), databaseUrl.href);
      await app.listen(0, '127.0.0.1');
      const address = app.getHttpServer().address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => {
      await app.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });

    it('answers 503 once the last answer is a second old, without the driver’s words', async () => {
      freezeClock();
      expect((await fetch(`${url}/health`)).status).toBe(200);
      // Terminates the app's connections and refuses new ones.
      await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
      moveClock(1_001);
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      expect(JSON.stringify(body)).not.toContain(database);
    });
  });
});
