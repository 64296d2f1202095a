import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import type { PoolStats } from '../../database/pool-stats.js';

/** The prefix of the service's own metrics (Node's and the process's keep their usual names). */
export const METRIC_PREFIX = 'mbd_';

type Config<C> = Omit<C, 'registers' | 'name'> & { name: string };

/**
 * This instance's Prometheus metrics: one registry per application (tests run several in one
 * process, and prom-client's global registry refuses a name registered twice). Modules declare
 * their own metrics here; counting into a metric costs a few nanoseconds whether or not
 * metrics are served, so callers never check `enabled`. What costs more (Node's collectors,
 * per-request observations, scrape-time queries) happens only when metrics are on.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly pools = new Map<string, () => PoolStats | undefined>();

  constructor(readonly enabled: boolean) {
    // The event loop's lag is sampled every 20 ms (prom-client's default of 10 costs more).
    if (enabled)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /** Reports a connection pool (read at scrape time): `mbd_db_pool_*{pool=name}`. */
  watchPool(name: string, stats: () => PoolStats | undefined): void {
    if (this.pools.size === 0) this.poolGauges();
    this.pools.set(name, stats);
  }

  private poolGauges(): void {
    const each = (report: (pool: string, stats: PoolStats) => void): void => {
      for (const [pool, stats] of this.pools) {
        const now = stats();
        if (now) report(pool, now);
      }
    };
    const connections = this.gauge({
      name: 'db_pool_connections',
      help: 'Connections of a PostgreSQL pool, by state (in_use: checked out; idle: open, free).',
      labelNames: ['pool', 'state'] as const,
      collect: () =>
        each((pool, { inUse, idle }) => {
          connections.set({ pool, state: 'in_use' }, inUse);
          connections.set({ pool, state: 'idle' }, idle);
        }),
    });
    const waiting = this.gauge({
      name: 'db_pool_waiting',
      help: 'Requests waiting for a connection of a PostgreSQL pool.',
      labelNames: ['pool'] as const,
      collect: () => each((pool, stats) => waiting.set({ pool }, stats.waiting)),
    });
    const max = this.gauge({
      name: 'db_pool_max',
      help: 'The most connections a PostgreSQL pool opens.',
      labelNames: ['pool'] as const,
      collect: () => each((pool, stats) => max.set({ pool }, stats.max)),
    });
  }

  counter<L extends string>(config: Config<CounterConfiguration<L>>): Counter<L> {
    return new Counter({
      ...config,
      name: METRIC_PREFIX + config.name,
      registers: [this.registry],
    });
  }

  gauge<L extends string>(config: Config<GaugeConfiguration<L>>): Gauge<L> {
    return new Gauge({ ...config, name: METRIC_PREFIX + config.name, registers: [this.registry] });
  }

  histogram<L extends string>(config: Config<HistogramConfiguration<L>>): Histogram<L> {
    return new Histogram({
      ...config,
      name: METRIC_PREFIX + config.name,
      registers: [this.registry],
    });
  }

  /** The text exposition format, what Prometheus scrapes. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Longer label values are counted under the overflow value (a GraphQL name is one token). */
export const MAX_LABEL_LENGTH = 100;

/**
 * Label values drawn from what clients send (operation names) or from what a deployment
 * produces (error codes): each series costs memory in every Prometheus that scrapes it, so the
 * first `max` distinct values are kept and any later one is counted under `overflow`; so is
 * any value longer than MAX_LABEL_LENGTH, which would be held for the instance's life and
 * written on every bucket line of every scrape.
 */
export class BoundedLabel {
  private readonly admitted = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly overflow: string,
  ) {}

  of(value: string): string {
    if (value.length > MAX_LABEL_LENGTH) return this.overflow;
    if (this.admitted.has(value)) return value;
    if (this.admitted.size >= this.max) return this.overflow;
    this.admitted.add(value);
    return value;
  }
}
