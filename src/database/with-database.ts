/**
 * Runs a command with DATABASE_URL set: the configured server, or else the embedded PostgreSQL
 * under DATA_DIR, started for the command and stopped after it.
 *   node dist/src/database/with-database.js typeorm migration:run -d ...
 */
import { spawn } from 'node:child_process';
import { loadConfig } from '../config/app-config.js';
import { EmbeddedDatabase } from './embedded-database.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-database <command> [args...]');
  process.exit(2);
}

const config = loadConfig();
const embedded = config.databaseUrl
  ? undefined
  : await EmbeddedDatabase.start({ dataDir: config.dataDir, port: config.embeddedDatabasePort });
const url = config.databaseUrl ?? embedded!.url;

const code = await new Promise<number>((resolve) => {
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url },
  });
  child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(error.message);
    resolve(1);
  });
});
await embedded?.stop();
process.exit(code);
