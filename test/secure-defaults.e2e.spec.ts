import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import pg from 'pg';
import { freePort } from './setup/test-database.js';
import {
  postGraphQL,
  startServiceProcess,
  type ServiceProcess,
} from './support/service-process.js';

/** The signing secret earlier versions of the service used when JWT_SECRET was not set. */
const PUBLISHED_DEVELOPMENT_SECRET = 'development-only-secret-change-me-in-production-0123456789';
const MAIN = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));

const DEMO_ADMIN_LOGIN = `mutation { login(input: { email: "admin@example.com", password: "demo-password" }) { token } }`;

/** A token as the service signs them, with the given secret and the default issuer/audience. */
const tokenSignedWith = (secret: string, subject: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer('market-based-dynamics')
    .setAudience('market-based-dynamics')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));

/** Addresses a TCP port is listening on, read from the kernel (/proc/net/tcp and tcp6). */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = local.split(':');
      if (state !== '0A' || parseInt(hexPort, 16) !== port) continue; // 0A: LISTEN
      if (!v6) {
        const bytes = hexAddress.match(/../g)!.map((b) => parseInt(b, 16));
        found.push(bytes.reverse().join('.'));
      } else {
        found.push(/^0+$/.test(hexAddress) ? '::' : hexAddress);
      }
    }
  }
  return found;
}

/** Runs the built service expecting it to refuse to start: its exit code and what it printed. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['DATABASE_URL', 'TEST_DATABASE_URL', 'JWT_SECRET'].includes(name),
    ),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...inherited, LOG_LEVEL: 'warn', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('Secure by default', () => {
  describe('npm start with no configuration (embedded demo database)', () => {
    let dataDir: string;
    let env: Record<string, string>;
    let running: ServiceProcess | undefined;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'mbd-defaults-'));
      env = {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        EMBEDDED_DB_PORT: String(await freePort()),
        JWT_SECRET: '',
        HOST: '',
      };
      running = await startServiceProcess(env);
    });
    afterAll(async () => {
      await running?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('signs with a random secret kept in the data directory, readable by its owner only', async () => {
      const file = path.join(dataDir, 'jwt.secret');
      const { mode } = await stat(file);
      expect(mode & 0o777).toBe(0o600);
      const secret = readFileSync(file, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(43);
      expect(secret).not.toBe(PUBLISHED_DEVELOPMENT_SECRET);

      const signedIn = await postGraphQL(running!, DEMO_ADMIN_LOGIN);
      const token: string = signedIn.data.login.token;
      const me = await postGraphQL(running!, '{ me { id isAdmin } }', token);
      expect(me.data.me.isAdmin).toBe(true);

      // Anyone who read the source could sign this one: it must open nothing.
      const forged = await tokenSignedWith(PUBLISHED_DEVELOPMENT_SECRET, me.data.me.id);
      const refused = await postGraphQL(running!, '{ me { id } }', forged);
      expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');

      // The same secret after a restart: tokens issued before it still work.
      expect(await running!.stop()).toBe(0);
      running = await startServiceProcess(env);
      expect(readFileSync(file, 'utf8').trim()).toBe(secret);
      const again = await postGraphQL(running, '{ me { id } }', token);
      expect(again.data.me.id).toBe(me.data.me.id);
    });

    it('listens on 127.0.0.1 only, unless HOST says otherwise', () => {
      expect(listeningAddresses(Number(env.PORT))).toEqual(['127.0.0.1']);
      expect(running!.graphqlUrl).toBe(`http://127.0.0.1:${env.PORT}/graphql`);
    });
  });

  describe('on a PostgreSQL server (DATABASE_URL)', () => {
    let admin: pg.Client;
    let name: string;
    let databaseUrl: string;

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      name = `mbd_seed_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    });
    afterAll(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });

    it('never seeds the demo organisation unless asked to', async () => {
      const env = {
        DATABASE_URL: databaseUrl,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      };
      const plain = await startServiceProcess(env);
      try {
        const refused = await postGraphQL(plain, DEMO_ADMIN_LOGIN);
        expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(plain.output()).not.toMatch(/demo-password/);
      } finally {
        expect(await plain.stop()).toBe(0);
      }
      const employees = async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          return (await client.query('SELECT count(*)::int AS n FROM employee')).rows[0].n;
        } finally {
          await client.end();
        }
      };
      expect(await employees()).toBe(0);

      const asked = await startServiceProcess({ ...env, SEED_DEMO: 'true' });
      try {
        const signedIn = await postGraphQL(asked, DEMO_ADMIN_LOGIN);
        expect(signedIn.errors).toBeUndefined();
      } finally {
        expect(await asked.stop()).toBe(0);
      }
      expect(await employees()).toBeGreaterThan(0);
    });
  });

  describe('refusing to start', () => {
    it.each([
      ['without JWT_SECRET in production', { NODE_ENV: 'production' }, /JWT_SECRET/],
      [
        'with a secret the source has published, in production',
        { NODE_ENV: 'production', JWT_SECRET: PUBLISHED_DEVELOPMENT_SECRET },
        /JWT_SECRET=\(hidden\): .*published/,
      ],
      ['with an unknown NODE_ENV', { NODE_ENV: 'staging' }, /NODE_ENV="staging"/],
    ])('%s, with a message', async (_, env, message) => {
      const { code, output } = await runToExit({ ...env, DATABASE_URL: 'postgres://nowhere/x' });
      expect(code).toBe(1);
      expect(output).toMatch(message);
      expect(output).not.toContain(PUBLISHED_DEVELOPMENT_SECRET);
    });
  });
});
