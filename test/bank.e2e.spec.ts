import { mkdir, writeFile } from 'node:fs/promises';
import { JobQueue } from '../src/modules/jobs/job-queue.service.js';
import { TimesheetService } from '../src/modules/market/timesheet.service.js';
import { buildCast, runBank } from './support/bank.js';
import { Factory } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The bank test in its CI size (15 s); `npm run test:bank` runs it for BANK_SECONDS (180).
 * Prints its counts and keeps them in test-artifacts/bank-report.json.
 */
const SECONDS = Number(process.env.BANK_SECONDS ?? 15);
/** Every operation the run must have committed at least once (each chain ran to its end). */
const MUST_COMMIT = [
  'allocateCredits',
  'acceptBid',
  'logTime',
  'approveTimesheet',
  'disputeTimesheet',
  'acceptDispute',
  'contestDispute',
  'resolveDispute',
  'autoApprove',
  'pledgeToIdea',
  'approveIdea',
  'cancelInitiative',
  'recordMeasurement',
  'correctMeasurement',
  'deactivateEmployee',
  'reactivateEmployee',
  'signIn',
  'moveEmployee',
];

describe('Bank test: invariants under concurrency, killed backends and killed instances', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it(
    'keeps every invariant while 50 clients work and the chaos loop kills things',
    async () => {
      const cast = await buildCast(new Factory(sut), new Ideas(sut));
      const sweeper = sut.app.get(TimesheetService);
      const jobs = sut.app.get(JobQueue);
      /**
       * The timesheets' sweep: as the scheduled job `timesheets.sweep` once it is registered
       * (the instances' workers run it, under the chaos), and in process, in this test's own
       * app on the same database, so that every ended window is swept within the run.
       */
      const sweep = async () => {
        await jobs.runNow('timesheets.sweep').catch((error: Error) => {
          if (!/no job named/.test(error.message)) throw error;
        });
        return sweeper.sweep();
      };
      const report = await runBank(process.env.TEST_DATABASE_URL!, cast, {
        seconds: SECONDS,
        clients: 50,
        killEveryMs: 250,
        restartEveryMs: 4_000,
        sweep,
        reviewWindowEveryMs: 1_500,
        // On a slow or busy machine the run goes on (up to three times as long) until every
        // chain has run to its end.
        mustCommit: MUST_COMMIT,
        maxSeconds: SECONDS * 3,
      });
      console.log(`Bank test:\n${JSON.stringify(report, null, 2)}`);
      await mkdir('test-artifacts', { recursive: true });
      await writeFile('test-artifacts/bank-report.json', `${JSON.stringify(report, null, 2)}\n`);

      expect(report.violations).toEqual([]);
      expect(report.invariantChecks).toBeGreaterThan(5);
      // The run did what it claims: money moved, rules refused, faults happened and were survived.
      expect(report.committed).toBeGreaterThan(100);
      expect(report.refusedByRule).toBeGreaterThan(0);
      expect(report.backendsKilled).toBeGreaterThan(0);
      expect(report.instanceRestarts).toBeGreaterThan(0);
      // Leavers tried to work after their deactivation, and were refused; hours were checked.
      expect(report.refusedAsDeactivated).toBeGreaterThan(0);
      expect(report.payeesChecked).toBeGreaterThan(0);
      const neverCommitted = MUST_COMMIT.filter(
        (operation) => !report.byOperation[operation]?.committed,
      );
      // Named, so that a failure says which chain the run never completed.
      expect(neverCommitted).toEqual([]);
    },
    (SECONDS * 3 + 120) * 1000,
  );
});
