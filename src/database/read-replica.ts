import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { parseLsn, ReplicaLagGauge } from './replica-lag.js';
import { StatementCounter } from './statement-counter.js';

export interface ReadReplicaOptions {
  url: string;
  /** The replica serves reads only while at most this far behind the primary. */
  maxLagMs: number;
  /** How often the lag is measured. */
  checkIntervalMs: number;
  poolSize: number;
  poolTimeoutMs: number;
  applicationName: string;
}

/**
 * - `starting`: not measured yet;
 * - `in-use`: answers, is a standby, and is at most DATABASE_READ_MAX_LAG_MS behind;
 * - `lagging`: further behind (or not known to be within it): reads go to the primary;
 * - `unreachable`: does not answer: reads go to the primary;
 * - `not-a-standby`: answers but is not in recovery (a promoted replica, or a primary named by
 *   mistake): nothing tells how far it is from the primary, so it is not used.
 */
export type ReplicaState = 'starting' | 'in-use' | 'lagging' | 'unreachable' | 'not-a-standby';

export interface ReplicaStatus {
  state: ReplicaState;
  /** How far behind the primary it was when last measured (ms); null when not known. */
  lagMs: number | null;
  maxLagMs: number;
  checkedAt: Date | null;
}

/** A replica connection slower than this to come is treated as down: the primary answers. */
const CONNECT_TIMEOUT_MS = 1_000;

/**
 * SQLSTATE classes and codes that mean "this server cannot answer now", not "this statement is
 * wrong": connection failures (08), shutdowns and start-ups (57P0x), too many connections, and a
 * standby cancelling a read that conflicts with replay (40001 on a standby).
 */
function isReplicaUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    return (
      code.startsWith('08') ||
      code.startsWith('57P') ||
      code === '53300' ||
      code === '40001' ||
      ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)
    );
  }
  // pg-pool's and pg's own words for a connection that could not be had or was lost.
  return (
    error instanceof Error &&
    /timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(
      error.message,
    )
  );
}

/**
 * The streaming replica (DATABASE_READ_URL): its own small pool, and how far behind the
 * primary it is, measured every DATABASE_READ_CHECK_INTERVAL_MS in the background (two
 * one-row statements, one on each server), never per read. Whether a read may use it is
 * decided from that cached measurement alone (`usable`), so a read costs no extra statement.
 */
export class ReadReplica implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  private readonly pool: pg.Pool;
  private readonly gauge: ReplicaLagGauge;
  private status: ReplicaStatus;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  /** pg honours `query_timeout` per query; its types know it only per client. */
  private readonly replicaCheck: pg.QueryConfig & { query_timeout: number };

  constructor(
    private readonly options: ReadReplicaOptions,
    private readonly primary: DataSource,
  ) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: Math.min(options.poolTimeoutMs, CONNECT_TIMEOUT_MS),
      application_name: options.applicationName,
      statement_timeout: 30_000,
      // A standby refuses writes anyway; this keeps a misconfigured URL from taking any.
      options: '-c default_transaction_read_only=on',
    });
    // An idle connection dropped by a replica restart must not take the process with it.
    this.pool.on('error', (error) => this.logger.warn(`idle replica connection: ${error.message}`));
    this.replicaCheck = {
      text: `SELECT pg_is_in_recovery() AS "inRecovery", pg_last_wal_replay_lsn()::text AS replayed`,
      // A replica that hangs is unreachable, not a check that never ends.
      query_timeout: Math.max(CONNECT_TIMEOUT_MS, options.checkIntervalMs),
    };
    this.gauge = new ReplicaLagGauge(options.maxLagMs + 2 * options.checkIntervalMs);
    this.status = { state: 'starting', lagMs: null, maxLagMs: options.maxLagMs, checkedAt: null };
  }

  async onApplicationBootstrap(): Promise<void> {
    // The first measurement before the first request, so that the replica is in use at once.
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await this.pool.end();
  }

  /** The last measurement, for the health endpoint. */
  current(): ReplicaStatus {
    return { ...this.status };
  }

  /**
   * True when a read starting now may use the replica: it was in use at the last measurement,
   * and even if replay has stood still since, it is still within the allowed lag.
   */
  usable(now = Date.now()): boolean {
    const { state, lagMs, checkedAt } = this.status;
    if (state !== 'in-use' || lagMs === null || !checkedAt) return false;
    return lagMs + (now - checkedAt.getTime()) <= this.options.maxLagMs;
  }

  /**
   * Runs a read on the replica; undefined (the caller asks the primary) when the replica
   * cannot answer now, which also marks it unreachable until the next measurement.
   */
  async tryQuery(sql: string, params?: unknown[]): Promise<{ rows: unknown[] } | undefined> {
    try {
      const result = await this.pool.query(sql, params);
      StatementCounter.countReplicaStatement();
      return result;
    } catch (error) {
      if (!isReplicaUnavailable(error)) throw error;
      if ((error as { code?: string }).code !== '40001') this.markUnreachable(error);
      return undefined;
    }
  }

  /** Measures the lag now (one measurement at a time; a tick during one is skipped). */
  check(): Promise<void> {
    this.checking ??= this.measure().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async measure(): Promise<void> {
    const asked = Date.now();
    try {
      const [{ lsn }] = (await this.primary.query(`SELECT pg_current_wal_lsn()::text AS lsn`)) as {
        lsn: string;
      }[];
      this.gauge.primaryAt(asked, parseLsn(lsn));
    } catch {
      // The primary does not answer: the replica is measured against the samples kept.
    }
    try {
      const {
        rows: [replica],
      } = await this.pool.query<{ inRecovery: boolean; replayed: string | null }>(
        this.replicaCheck,
      );
      const now = Date.now();
      if (!replica.inRecovery || !replica.replayed) {
        this.report({ state: 'not-a-standby', lagMs: null, checkedAt: new Date(now) });
        return;
      }
      const lagMs = this.gauge.lagOf(parseLsn(replica.replayed), now) ?? null;
      const within = lagMs !== null && lagMs <= this.options.maxLagMs;
      this.report({ state: within ? 'in-use' : 'lagging', lagMs, checkedAt: new Date(now) });
    } catch (error) {
      this.markUnreachable(error);
    }
  }

  private markUnreachable(error: unknown): void {
    if (this.status.state !== 'unreachable') {
      this.logger.warn(`replica unreachable, reading from the primary: ${String(error)}`);
    }
    this.report({ state: 'unreachable', lagMs: null, checkedAt: new Date() });
  }

  private report(next: Omit<ReplicaStatus, 'maxLagMs'>): void {
    const before = this.status.state;
    this.status = { ...next, maxLagMs: this.options.maxLagMs };
    if (before !== next.state && next.state !== 'unreachable') {
      const lag = next.lagMs === null ? 'unknown' : `${next.lagMs} ms`;
      this.logger.log(`replica ${before} → ${next.state} (lag ${lag})`);
    }
  }
}
