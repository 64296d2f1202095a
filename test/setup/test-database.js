// Plain JavaScript on the built service (`npm test` builds first): Jest loads global setup
// outside its module system, where TypeScript sources cannot be imported.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedDatabase } from '../../dist/src/database/embedded-database.js';
import { runMigrations } from '../../dist/src/database/migrate.js';

/** A TCP port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function asAdmin(adminUrl, work) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one test run, on the server in DATABASE_URL or an embedded one. */
export async function createTestDatabase() {
  const name = `mbd_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  let embedded;
  let embeddedDir;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embeddedDir = await mkdtemp(path.join(tmpdir(), 'mbd-test-'));
    embedded = await EmbeddedDatabase.start({ dataDir: embeddedDir, port: await freePort() });
    adminUrl = embedded.adminUrl;
  }
  await asAdmin(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return { url: url.toString(), adminUrl, name, embedded, embeddedDir };
}

export async function dropTestDatabase(database) {
  await asAdmin(database.adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database.name)} WITH (FORCE)`),
  );
  await database.embedded?.stop();
  if (database.embeddedDir) await rm(database.embeddedDir, { recursive: true, force: true });
}
