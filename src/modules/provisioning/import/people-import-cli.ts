/**
 * `npm run import:people -- people.csv [--dry-run]`: creates and updates employees, teams and
 * memberships from a CSV file (columns in the README, "People and provisioning"), all rows or
 * none. Bad rows are listed with their line numbers and nothing is applied. Exit code 0 when
 * the import was applied (or the dry run found nothing wrong), 1 when rows were refused, 2 on
 * bad usage.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../config/app-config.js';
import { createApp } from '../../../create-app.js';
import { bootLogger, openDatabase } from '../../../server.js';
import { COLUMNS } from './people-csv.js';
import { PeopleImportService } from './people-import.service.js';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const files = args.filter((arg) => !arg.startsWith('--'));
const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--dry-run');
if (files.length !== 1 || unknown.length) {
  console.error('usage: npm run import:people -- <people.csv> [--dry-run]');
  console.error(`columns: ${COLUMNS.join(', ')} (email, name and home_team required)`);
  process.exit(2);
}
const [file] = files;
let csv: string;
try {
  csv = readFileSync(file, 'utf8');
} catch (error) {
  console.error(`Cannot read ${file}: ${(error as Error).message}`);
  process.exit(2);
}

// A one-off command: it runs no jobs, and logs only warnings.
const config = loadConfig({
  ...process.env,
  JOBS_WORKERS: 'false',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const log = bootLogger(config);
const database = await openDatabase(config, log);
try {
  const app = await createApp(config, database.url);
  const report = await app.get(PeopleImportService).import(csv, { dryRun, file });
  await app.close();
  if (report.errors.length) {
    console.error(`${file}: nothing was imported.`);
    for (const error of report.errors) console.error(`  line ${error.line}: ${error.message}`);
    process.exitCode = 1;
  } else {
    for (const change of report.changes) console.log(change);
    const count = report.changes.length;
    console.log(
      count === 0
        ? `${file}: no changes: everything is as the file says.`
        : dryRun
          ? `${file}: dry run: ${count} change(s) would be made; nothing was changed.`
          : `${file}: imported: ${count} change(s).`,
    );
  }
} finally {
  await database.embedded?.stop();
}
