import { createSiblingDatabase, dropSiblingDatabase } from '../setup/test-database.js';

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database of the suite's own, on the run's server. For suites that move the
 * service's clock or run the scheduled sweeps: in the shared test database, a sweep at a
 * moved clock would settle other suites' work, and theirs would settle this suite's.
 */
export async function ownDatabase(): Promise<OwnDatabase> {
  const shared = process.env.TEST_DATABASE_URL;
  if (!shared) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  const database = await createSiblingDatabase(shared);
  return { url: database.url, drop: () => dropSiblingDatabase(database) };
}
