// Plain JavaScript on the built service (`npm test` builds first): Jest loads global setup
// outside its module system, where TypeScript sources cannot be imported.
import { execFile } from 'node:child_process';
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

/**
 * A fresh, migrated database on the same server as `url` (a suite's own, see
 * test/support/own-database.ts); dropped with `dropSiblingDatabase`.
 */
export async function createSiblingDatabase(url) {
  const name = `mbd_own_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await asAdmin(url, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  // In a child process: inside a Jest worker, TypeORM's dynamic imports of the migrations run
  // through Jest's module runtime, which fails for the second test file of a worker.
  const migrate = new URL('../../dist/src/database/migrate.js', import.meta.url).href;
  await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { runMigrations } = await import(${JSON.stringify(migrate)});
         await runMigrations(process.env.OWN_DATABASE_URL);`,
      ],
      { env: { ...process.env, OWN_DATABASE_URL: own.toString() } },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    ),
  );
  return { url: own.toString(), adminUrl: url, name };
}

export async function dropSiblingDatabase(database) {
  await asAdmin(database.adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database.name)} WITH (FORCE)`),
  );
}
