/** A WAL position (`16/B374D848`) as a number that compares the way PostgreSQL's pg_lsn does. */
export function parseLsn(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  if (!/^[0-9A-F]{1,8}$/i.test(high ?? '') || !/^[0-9A-F]{1,8}$/i.test(low ?? '')) {
    throw new Error(`not a WAL position: ${lsn}`);
  }
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

interface PrimarySample {
  /** When the primary's position was asked for: every commit finished by then is at or below it. */
  at: number;
  lsn: bigint;
}

/**
 * How far behind the primary a replica is, in time, from WAL positions alone. Each check
 * samples the primary's current position (`pg_current_wal_lsn()`) and then the replica's
 * replayed one (`pg_last_wal_replay_lsn()`). A replica that has replayed past the primary's
 * position sampled at time T holds every commit finished before T, so its lag is at most
 * "now − the latest such T": exact to within one check interval, right on an idle primary
 * (its position stands still, so the replica is caught up), and right while replay is paused
 * (the lag grows from the first write the replica has not replayed, not from the last commit it
 * replayed, which on a quiet system may be long ago). No commit timestamps, no heartbeat
 * table, no privileges beyond those of any role.
 */
export class ReplicaLagGauge {
  /** Oldest first; positions never go down. */
  private samples: PrimarySample[] = [];

  /** `horizonMs`: samples older than this are dropped (a lag beyond it is only "too much"). */
  constructor(private readonly horizonMs: number) {}

  /** The primary's position asked for at `at` (ms since the epoch). */
  primaryAt(at: number, lsn: bigint): void {
    const last = this.samples[this.samples.length - 1];
    // Same position later: the later time says more (everything until then is at or below it).
    if (last && last.lsn === lsn) last.at = Math.max(last.at, at);
    else if (!last || lsn > last.lsn) this.samples.push({ at, lsn });
  }

  /**
   * The lag, at `now`, of a replica that has replayed up to `replayed`; undefined when it has
   * not reached any kept sample (it is further behind than the horizon, or than the first
   * sample after start-up: then nothing is known but "behind").
   */
  lagOf(replayed: bigint, now: number): number | undefined {
    let reached = -1;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (this.samples[i].lsn <= replayed) {
        reached = i;
        break;
      }
    }
    if (reached >= 0) {
      // Replay only moves forward: what it has passed is never needed again.
      this.samples = this.samples.slice(reached);
      return Math.max(0, now - this.samples[0].at);
    }
    const kept = this.samples.filter((sample) => now - sample.at <= this.horizonMs);
    this.samples = kept.length ? kept : this.samples.slice(-1);
    return undefined;
  }
}
