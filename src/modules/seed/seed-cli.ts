/** `npm run seed`: seeds the demo organisation into an empty database, then exits. */
import 'reflect-metadata';
import { loadConfig } from '../../config/app-config.js';
import { createApp } from '../../create-app.js';
import { bootLogger, openDatabase } from '../../server.js';
import { SeedService } from './seed.service.js';

const config = loadConfig();
const log = bootLogger(config);
const database = await openDatabase(config, log);
try {
  const app = await createApp(config, database.url);
  const outcome = await app.get(SeedService).seedIfEmpty(config.nodeEnv);
  await app.close();
  log.info(`seed: ${outcome}`);
  process.exitCode = outcome === 'seeded' || outcome.startsWith('skipped') ? 0 : 1;
} finally {
  await database.embedded?.stop();
}
