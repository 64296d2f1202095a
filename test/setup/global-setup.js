import { createTestDatabase } from './test-database.js';

export default async function globalSetup() {
  const database = await createTestDatabase();
  globalThis.testDatabase = database;
  // Test workers start after this and inherit the environment.
  process.env.TEST_DATABASE_URL = database.url;
}
