import { mkdir, writeFile } from 'node:fs/promises';
import { buildCast, runBank } from './support/bank.js';
import { Factory } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The bank test in its CI size (15 s); `npm run test:bank` runs it for BANK_SECONDS (180).
 * Prints its counts and keeps them in test-artifacts/bank-report.json.
 */
const SECONDS = Number(process.env.BANK_SECONDS ?? 15);

describe('Bank test: invariants under concurrency, killed backends and killed instances', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it(
    'keeps every invariant while 50 clients work and the chaos loop kills things',
    async () => {
      const cast = await buildCast(new Factory(sut));
      const report = await runBank(process.env.TEST_DATABASE_URL!, cast, {
        seconds: SECONDS,
        clients: 50,
        killEveryMs: 250,
        restartEveryMs: 4_000,
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
      for (const operation of [
        'allocateCredits',
        'acceptBid',
        'logTime',
        'pledgeToIdea',
        'approveIdea',
        'cancelInitiative',
      ]) {
        expect(report.byOperation[operation]?.committed).toBeGreaterThan(0);
      }
    },
    (SECONDS + 120) * 1000,
  );
});
