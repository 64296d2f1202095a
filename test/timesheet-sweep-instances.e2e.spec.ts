import { jest } from '@jest/globals';
import pg from 'pg';
import { Clock } from '../src/common/clock/clock.js';
import { findViolations } from '../src/database/invariants.js';
import { freePort } from './setup/test-database.js';
import { Factory } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';
import { until } from './support/poll.js';

describe('Automatic approval on the job queue, with two instances and one killed mid-job', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  const instances: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await ownDatabase();
    // Builds the data in the past (a week of March 2026), so its review window has long ended.
    sut = await startTestApp({}, database.url);
  });
  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await sut.close();
    await database.drop();
  });

  it('pays a week whose review window ended exactly once', async () => {
    const clock = jest.spyOn(sut.app.get(Clock), 'now');
    clock.mockReturnValue(new Date('2026-03-04T12:00:00Z'));
    const market = new Market(sut, new Factory(sut));
    const { team, lead } = await market.buyer(10_000);
    const worker = await market.factory.person();
    const needId = await market.postNeed(lead, team, {
      hoursPerWeek: 8,
      weeks: 1,
      ratePerHour: 10,
    });
    const engagementId = await market.engage(lead, await market.bid(worker, needId, 8, 10));
    const logged = await sut.gql(
      `mutation($input: LogTimeInput!) { logTime(input: $input) { timeLog { id } } }`,
      { input: { engagementId, date: '2026-03-04', hours: 5, note: 'work' } },
      worker.token,
    );
    expectOk(logged);
    clock.mockRestore();

    // Hold the engagement's row: the first sweep to reach it waits there, mid-job.
    const holder = new pg.Client({ connectionString: database.url });
    holder.on('error', () => undefined); // dropped with the database if the test fails
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM engagement WHERE id = $1 FOR UPDATE', [engagementId]);

    for (const name of ['a', 'b']) {
      instances.push(
        await startServiceProcess({
          NODE_ENV: 'production',
          DATABASE_URL: database.url,
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'error',
          DB_APPLICATION_NAME: `mbd-sweep-${name}`,
          DASHBOARD_REFRESH_SECONDS: '0',
          TIMESHEET_SWEEP_SECONDS: '1',
          JOBS_POLL_INTERVAL_MS: '500',
          JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
        }),
      );
    }

    const waiter = async (): Promise<string | undefined> => {
      const { rows } = await holder.query<{ application_name: string }>(
        `SELECT application_name FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND application_name LIKE 'mbd-sweep-%'`,
      );
      return rows[0]?.application_name;
    };
    let blocked: string | undefined;
    await until('a sweep waits on the engagement', async () => !!(blocked = await waiter()));
    const victim = instances[blocked!.endsWith('-a') ? 0 : 1];
    const survivor = instances[blocked!.endsWith('-a') ? 1 : 0];
    const gone = new Promise((resolve) => victim.child.once('exit', resolve));
    victim.child.kill('SIGKILL');
    await gone;
    await holder.query('ROLLBACK');

    const paid = async () => {
      const { rows } = await holder.query<{ approved: number }>(
        `SELECT approved_hours AS approved FROM timesheet WHERE engagement_id = $1`,
        [engagementId],
      );
      return rows[0].approved === 5;
    };
    await until('the surviving instance has paid the week', paid);
    // Give any second sweep (the victim's job, retried; the survivor's next runs) the chance to
    // pay twice: wait for two more sweeps to have completed after the payment.
    const completedSweeps = async () => {
      const { rows } = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'timesheets.sweep' AND state = 'completed'`,
      );
      return rows[0].n;
    };
    const before = await completedSweeps();
    await until('two more sweeps have run', async () => (await completedSweeps()) >= before + 2);

    const { rows: payments } = await holder.query<{ amount: number }>(
      `SELECT t.amount::int AS amount FROM transfer t JOIN need n ON n.escrow_account_id = t.from_account_id
        WHERE n.id = $1 AND t.kind = 'TIME_PAYMENT'`,
      [needId],
    );
    expect(payments).toEqual([{ amount: 50 }]);
    const { rows: events } = await holder.query<{ action: string }>(
      `SELECT e.action FROM event e JOIN timesheet s ON s.id = e.subject_id WHERE s.engagement_id = $1`,
      [engagementId],
    );
    expect(events).toEqual([{ action: 'timesheet.autoApprove' }]);
    // The engagement's week is over too: completed once, the 3 hours never logged returned.
    const { rows: engagement } = await holder.query<{ status: string; returned: number }>(
      `SELECT g.status, (SELECT coalesce(sum(t.amount), 0)::int FROM transfer t
                           WHERE t.from_account_id = n.escrow_account_id AND t.kind = 'ESCROW_RETURN') AS returned
         FROM engagement g JOIN need n ON n.id = g.need_id WHERE g.id = $1`,
      [engagementId],
    );
    expect(engagement).toEqual([{ status: 'COMPLETED', returned: 30 }]);
    expect(await findViolations((sql) => holder.query(sql))).toEqual([]);
    expect(survivor.child.exitCode).toBeNull();
    await holder.end();
  }, 120_000);
});
