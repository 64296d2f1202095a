import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/**
 * Applies pending migrations from `migrations/`; returns their names. Concurrent callers (two
 * instances starting together) are serialised by an advisory lock, so each migration runs once.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(
    dataSourceOptions({ url, poolSize: 1, applicationName: 'mbd-migrate' }),
  );
  await dataSource.initialize();
  try {
    await dataSource.query(`SELECT pg_advisory_lock(hashtext('mbd:migrations'))`);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.query(`SELECT pg_advisory_unlock(hashtext('mbd:migrations'))`);
    }
  } finally {
    await dataSource.destroy();
  }
}
