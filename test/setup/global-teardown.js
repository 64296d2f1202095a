import { dropTestDatabase } from './test-database.js';

export default async function globalTeardown() {
  if (globalThis.testDatabase) await dropTestDatabase(globalThis.testDatabase);
}
