// A service instance (the built application, as `npm start` runs it, without HTTP) that sends
// one job, JOB_NAME, and works it with a handler that announces the job on stdout and then
// never finishes: a worker to SIGKILL mid-job (test/job-queue.e2e.spec.ts). Plain JavaScript on dist/, like
// test/setup, because it runs outside Jest.
import 'reflect-metadata';
import { loadConfig } from '../../dist/src/config/app-config.js';
import { createApp } from '../../dist/src/create-app.js';
import { JobQueue } from '../../dist/src/modules/jobs/job-queue.service.js';

const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_SECRET: process.env.JWT_SECRET,
  DATABASE_URL: process.env.DATABASE_URL,
  JOBS_WORKERS: 'true',
  JOBS_POLL_INTERVAL_MS: process.env.JOBS_POLL_INTERVAL_MS ?? '500',
  // Others' work (the dashboard refresh) is not this process's to take.
  DASHBOARD_REFRESH_SECONDS: '0',
});
const app = await createApp(config, process.env.DATABASE_URL);
await app.init();
await app.get(JobQueue).define({
  name: process.env.JOB_NAME,
  expireInSeconds: 2,
  retryLimit: 2,
  retryDelaySeconds: 0,
  handler: (_data, job) => {
    process.stdout.write(`started ${job.id}\n`);
    return new Promise(() => undefined);
  },
});
const id = await app.get(JobQueue).send(process.env.JOB_NAME, { payload: 'survives a SIGKILL' });
process.stdout.write(`sent ${id}\n`);
