import { parseLsn, ReplicaLagGauge } from '../../src/database/replica-lag.js';

describe(parseLsn.name, () => {
  it('orders WAL positions as PostgreSQL does, across the 4 GB boundary', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0')).toBeGreaterThan(parseLsn('0/FFFFFFFF'));
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });

  it('refuses what is not a WAL position', () => {
    expect(() => parseLsn('16B374D848')).toThrow('not a WAL position');
    expect(() => parseLsn('0/xyz')).toThrow('not a WAL position');
  });
});

describe(ReplicaLagGauge.name, () => {
  let sut: ReplicaLagGauge;
  beforeEach(() => (sut = new ReplicaLagGauge(10_000)));

  it('finds a replica that has replayed everything caught up, however long the primary was idle', () => {
    sut.primaryAt(0, 100n);
    sut.primaryAt(60_000, 100n);
    expect(sut.lagOf(100n, 60_010)).toBe(10);
  });

  it('measures a paused replay from the first write it has not replayed, not from its last replayed commit', () => {
    sut.primaryAt(0, 100n); // idle for a long time at 100
    sut.primaryAt(50_000, 100n);
    sut.primaryAt(51_000, 120n); // a write just before 51 s; replay paused at 100
    sut.primaryAt(52_000, 140n);
    expect(sut.lagOf(100n, 52_050)).toBe(2_050);
    expect(sut.lagOf(100n, 53_000)).toBe(3_000);
    // Replay resumes and passes the second write.
    expect(sut.lagOf(140n, 53_100)).toBe(1_100);
  });

  it('counts a write it sampled but the replica has not yet streamed as at most one interval behind', () => {
    sut.primaryAt(0, 100n);
    sut.primaryAt(1_000, 101n); // sampled a moment after a write the replica is still receiving
    expect(sut.lagOf(100n, 1_005)).toBe(1_005);
    expect(sut.lagOf(101n, 2_000)).toBe(1_000);
  });

  it('knows nothing of a replica behind every sample it kept (at start-up, or beyond the horizon)', () => {
    sut.primaryAt(0, 500n);
    expect(sut.lagOf(400n, 10)).toBeUndefined();
    for (let at = 1_000; at <= 30_000; at += 1_000) sut.primaryAt(at, 500n + BigInt(at));
    expect(sut.lagOf(499n, 30_000)).toBeUndefined();
    // Still measured once it catches up with a kept sample.
    expect(sut.lagOf(500n + 25_000n, 30_000)).toBe(5_000);
  });
});
