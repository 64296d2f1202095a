import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { UnitOfWork } from '../src/common/unit-of-work/unit-of-work.js';
import { REFRESH_SUMMARIES_JOB } from '../src/modules/dashboard/summary-refresh.service.js';
import { JobQueue } from '../src/modules/jobs/job-queue.service.js';
import { Factory, type Person } from './support/factories.js';
import { codes, startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';

/** Workers on, polling and expiring fast: these tests wait for jobs, never for the clock. */
const WORKING = {
  JOBS_WORKERS: 'true',
  JOBS_POLL_INTERVAL_MS: '500',
  JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
};

/** Polls `check` until it returns something truthy, or fails after `seconds`. */
async function eventually<T>(
  check: () => Promise<T> | T,
  seconds = 30,
  what = 'condition',
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const testJob = (purpose: string): string => `test.${purpose}-${randomUUID().slice(0, 8)}`;

const JOBS = `query($filter: JobFilter, $first: Int) {
  jobs(filter: $filter, first: $first) {
    totalCount
    nodes { id name state retryCount retryLimit startAfter startedAt completedAt createdAt error }
  }
}`;

interface JobNode {
  id: string;
  name: string;
  state: string;
  retryCount: number;
  retryLimit: number;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
}

describe('JobQueue', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: Person;
  let member: Person;

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp(WORKING), startTestApp(WORKING)]);
    const factory = new Factory(a);
    admin = await factory.admin();
    member = await factory.person();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  async function jobsNamed(name: string, token = admin.token): Promise<JobNode[]> {
    const result = await a.gql(JOBS, { filter: { name }, first: 100 }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.jobs.nodes as JobNode[];
  }

  it('runs each job exactly once across two instances', async () => {
    const name = testJob('count');
    const handled: { n: number; by: string }[] = [];
    for (const [instance, by] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      await instance.app.get(JobQueue).define<{ n: number }>({
        name,
        handler: async ({ n }) => {
          handled.push({ n, by });
          await new Promise((resolve) => setImmediate(resolve));
        },
      });
    }
    const sent = 40;
    for (let n = 0; n < sent; n++) await a.app.get(JobQueue).send(name, { n });

    const completed = await eventually(
      async () => {
        const jobs = await jobsNamed(name);
        return jobs.filter((job) => job.state === 'COMPLETED').length === sent && jobs;
      },
      60,
      'every job to complete',
    );
    expect(completed).toHaveLength(sent);
    // A completed job is never fetched again: what ran is final.
    expect(handled.map((h) => h.n).sort((x, y) => x - y)).toEqual([...Array(sent).keys()]);
    expect(completed.every((job) => job.retryCount === 0)).toBe(true);
  });

  it('enqueues a job only if the unit of work that sends it commits', async () => {
    const name = testJob('transactional');
    const handled: string[] = [];
    await a.app.get(JobQueue).define<{ outcome: string }>({
      name,
      handler: async ({ outcome }) => void handled.push(outcome),
    });
    const unitOfWork = a.app.get(UnitOfWork);
    const jobs = a.app.get(JobQueue);

    await expect(
      unitOfWork.run({ actor: null }, async (tx) => {
        await jobs.send(name, { outcome: 'rolled back' }, { tx });
        throw new Error('the change fails after its job was sent');
      }),
    ).rejects.toThrow('the change fails');
    await unitOfWork.run({ actor: null }, (tx) =>
      jobs.send(name, { outcome: 'committed' }, { tx }),
    );

    // The queue marks a job completed after its handler returns: wait for that, not the handler.
    const queued = await eventually(
      async () => {
        const jobs = await jobsNamed(name);
        return jobs.length > 0 && jobs.every((job) => job.state === 'COMPLETED') && jobs;
      },
      30,
      'the committed job to complete',
    );
    expect(queued.map((job) => job.state)).toEqual(['COMPLETED']);
    expect(handled).toEqual(['committed']);
  });

  it('retries a failing job with backoff, then shows it failed, with its error, to admins only', async () => {
    const name = testJob('failing');
    const attempts: number[] = [];
    await a.app.get(JobQueue).define({
      name,
      retryLimit: 2,
      retryDelaySeconds: 1,
      retryBackoff: true,
      handler: async () => {
        attempts.push(Date.now());
        throw new Error(`attempt ${attempts.length} refused`);
      },
    });
    const id = await a.app.get(JobQueue).send(name, {});

    const [failed] = await eventually(
      async () => {
        const jobs = await jobsNamed(name);
        return jobs[0]?.state === 'FAILED' && jobs;
      },
      60,
      'the job to fail for good',
    );
    expect(failed).toMatchObject({ id, state: 'FAILED', retryCount: 2, retryLimit: 2 });
    expect(failed.error).toBe('attempt 3 refused');
    expect(failed.startedAt).not.toBeNull();
    expect(failed.completedAt).not.toBeNull();
    expect(attempts).toHaveLength(3);
    // Backoff: retry n waits between delay·2^n/2 and delay·2^n (1–2 s, then 2–4 s).
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(900);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(1_900);

    const stats = await a.gql(
      `{ jobQueueStats { name failed completed active created retry cancelled } }`,
      {},
      admin.token,
    );
    expect(stats.errors).toBeUndefined();
    expect(stats.data!.jobQueueStats).toContainEqual({
      name,
      failed: 1,
      completed: 0,
      active: 0,
      created: 0,
      retry: 0,
      cancelled: 0,
    });

    for (const query of [JOBS, `{ jobQueueStats { name } }`]) {
      const refused = await a.gql(query, { filter: { name } }, member.token);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data).toBeNull();
    }
  });

  it('filters jobs by state and refuses a forged cursor', async () => {
    const filtered = await a.gql(JOBS, { filter: { state: 'FAILED' }, first: 100 }, admin.token);
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data!.jobs.nodes.every((job: JobNode) => job.state === 'FAILED')).toBe(true);

    const forged = await a.gql(
      `{ jobs(first: 1, after: "bm90IGEgY3Vyc29y") { totalCount } }`,
      {},
      admin.token,
    );
    expect(codes(forged)).toEqual(['BAD_USER_INPUT']);
  });

  it('gives a job whose worker was killed mid-job to another instance once it expires', async () => {
    const name = testJob('killed');
    const child = await startHangingWorker(name);
    try {
      const id = /sent (\S+)/.exec(child.output())![1];
      await eventually(() => child.output().includes(`started ${id}`), 30, 'the child to start it');
      child.process.kill('SIGKILL');
      await eventually(() => child.process.signalCode === 'SIGKILL', 10, 'the child to die');

      const running = await jobsNamed(name);
      expect(running).toMatchObject([{ id, state: 'ACTIVE', retryCount: 0 }]);

      const handled: { id: string; data: unknown; retryCount: number }[] = [];
      const expiredAt = Date.now();
      await a.app.get(JobQueue).define({
        name,
        expireInSeconds: 2,
        retryLimit: 2,
        retryDelaySeconds: 0,
        handler: async (data, job) =>
          void handled.push({ id: job.id, data, retryCount: job.retryCount }),
      });
      const [done] = await eventually(
        async () => {
          const jobs = await jobsNamed(name);
          return jobs[0]?.state === 'COMPLETED' && jobs;
        },
        30,
        'another instance to finish the job',
      );
      expect(done).toMatchObject({ id, retryCount: 1 });
      expect(handled).toEqual([{ id, data: { payload: 'survives a SIGKILL' }, retryCount: 1 }]);
      // Expiry (2 s) + maintenance (every 1 s) + polling (0.5 s), with room for a busy machine.
      expect(Date.now() - expiredAt).toBeLessThan(15_000);
      expect(child.output().match(/started /g)).toHaveLength(1);
    } finally {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
      }
    }
  });

  it('refreshes the dashboard summaries from the queue', async () => {
    const before = await lastRefresh();
    const id = await a.app.get(JobQueue).runNow(REFRESH_SUMMARIES_JOB);
    expect(id).toEqual(expect.any(String));
    await eventually(
      async () =>
        (await jobsNamed(REFRESH_SUMMARIES_JOB)).some(
          (job) => job.id === id && job.state === 'COMPLETED',
        ),
      30,
      'the refresh job to complete',
    );
    const after = await lastRefresh();
    expect(after.getTime()).toBeGreaterThan(before.getTime());

    // The periodic refresh is one self-rescheduling job, however many instances run.
    const pending = (await jobsNamed(REFRESH_SUMMARIES_JOB)).filter(
      (job) => job.state === 'CREATED',
    );
    expect(pending.length).toBeLessThanOrEqual(1);
  });

  async function lastRefresh(): Promise<Date> {
    const [row] = (await a.dataSource.query(
      `SELECT coalesce(min(refreshed_at), 'epoch') AS at FROM summary_refresh`,
    )) as { at: Date }[];
    return row.at;
  }
});

const WORKER_SCRIPT = fileURLToPath(new URL('./support/hanging-job-worker.mjs', import.meta.url));

/**
 * The built service in a child process, working `name` with a handler that announces each job
 * and never finishes: a worker to kill mid-job.
 */
async function startHangingWorker(
  name: string,
): Promise<{ process: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [WORKER_SCRIPT], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      JWT_SECRET: TEST_JWT_SECRET,
      JOB_NAME: name,
      JOBS_POLL_INTERVAL_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
      return /sent \S+/.test(output);
    },
    30,
    'the child worker to send its job',
  );
  return { process: child, output: () => output };
}
