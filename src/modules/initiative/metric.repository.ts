import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { SPARKLINE_POINTS } from './initiative-limits.js';
import type { MetricDirection } from './initiative.enums.js';
import type { Measurement, OutcomeMetric } from './models/initiative.models.js';

/** Outcome metric columns: the row needs no mapping. */
const METRIC_COLUMNS = `id, initiative_id AS "initiativeId", name, unit, baseline, target, direction,
  latest_value AS "latestValue", latest_at AS "latestAt", created_at AS "createdAt"`;

/** Measurement columns over `m`, with the exact time as text for cursors (a Date drops microseconds). */
const MEASUREMENT_COLUMNS = `m.id, m.metric_id AS "metricId", m.value, m.at, m.recorded_by_id AS "recordedById",
  to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "atCursor"`;

type MeasurementRow = Measurement & { atCursor: string };

/** What a new outcome metric is made of. */
export interface NewOutcomeMetric {
  initiativeId: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  direction: MetricDirection;
}

/** What a new measurement is made of. */
export interface NewMeasurement {
  metricId: string;
  value: number;
  at: Date;
  recordedById: string;
}

/**
 * The `outcome_metric` and `measurement` tables: what an initiative promises to move, and its
 * readings. Counts against the maximum are taken under the initiative's row lock.
 */
@Injectable()
export class MetricRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A new metric, unless the initiative has `maxMetrics` already (undefined). Fails on
   * outcome_metric_name_key if the initiative has one by that name.
   */
  addWithinLimit(
    tx: Db,
    metric: NewOutcomeMetric,
    maxMetrics: number,
  ): Promise<OutcomeMetric | undefined> {
    return firstRow<OutcomeMetric>(
      tx,
      `INSERT INTO outcome_metric (initiative_id, name, unit, baseline, target, direction)
       SELECT $1::uuid, $2::varchar, $3::varchar, $4::float8, $5::float8, $6::metric_direction
        WHERE (SELECT count(*) FROM outcome_metric WHERE initiative_id = $1) < $7
       RETURNING ${METRIC_COLUMNS}`,
      [
        metric.initiativeId,
        metric.name,
        metric.unit,
        metric.baseline,
        metric.target,
        metric.direction,
        maxMetrics,
      ],
    );
  }

  /** The initiative a metric belongs to, or undefined if there is no such metric. */
  async initiativeIdOf(db: Db, metricId: string): Promise<string | undefined> {
    const row = await firstRow<{ initiativeId: string }>(
      db,
      `SELECT initiative_id AS "initiativeId" FROM outcome_metric WHERE id = $1`,
      [metricId],
    );
    return row?.initiativeId;
  }

  /** Inserts a reading. */
  async addMeasurement(tx: Db, measurement: NewMeasurement): Promise<Measurement> {
    const [row] = await rows<MeasurementRow>(
      tx,
      `WITH m AS (
         INSERT INTO measurement (metric_id, value, at, recorded_by_id) VALUES ($1, $2, $3, $4) RETURNING *
       )
       SELECT ${MEASUREMENT_COLUMNS} FROM m`,
      [measurement.metricId, measurement.value, measurement.at, measurement.recordedById],
    );
    return row;
  }

  /** The metric's latest value becomes this reading's, unless a later reading is known. */
  async keepLatest(tx: Db, metricId: string, value: number, at: Date): Promise<void> {
    await tx.query(
      `UPDATE outcome_metric SET latest_value = $2, latest_at = $3
        WHERE id = $1 AND (latest_at IS NULL OR latest_at <= $3)`,
      [metricId, value, at],
    );
  }

  /** Each initiative's metrics, in the order they were defined. */
  readonly ofInitiative = new BatchLoader<string, OutcomeMetric[]>(async (initiativeIds) => {
    const found = await rows<OutcomeMetric>(
      this.dataSource,
      `SELECT ${METRIC_COLUMNS} FROM outcome_metric WHERE initiative_id = ANY($1) ORDER BY seq`,
      [[...initiativeIds]],
    );
    return groupedByKey(initiativeIds, found, (m) => m.initiativeId);
  });

  /** Each metric's most recent measurement (by when it was true). */
  readonly latestMeasurement = new BatchLoader<string, Measurement | null>(async (metricIds) => {
    const found = await rows<MeasurementRow>(
      this.dataSource,
      `SELECT DISTINCT ON (m.metric_id) ${MEASUREMENT_COLUMNS}
         FROM measurement m WHERE m.metric_id = ANY($1) ORDER BY m.metric_id, m.at DESC, m.id DESC`,
      [[...metricIds]],
    );
    return byKey(metricIds, found, (m) => m.metricId);
  });

  /** Each metric's latest SPARKLINE_POINTS values, oldest first: for sparklines. */
  readonly recentValues = new BatchLoader<string, number[]>(async (metricIds) => {
    const found = await rows<{ metricId: string; value: number }>(
      this.dataSource,
      `SELECT metric_id AS "metricId", value FROM (
         SELECT metric_id, value, at, id,
                row_number() OVER (PARTITION BY metric_id ORDER BY at DESC, id DESC) AS recency
           FROM measurement WHERE metric_id = ANY($1)
       ) recent WHERE recency <= ${SPARKLINE_POINTS} ORDER BY metric_id, at, id`,
      [[...metricIds]],
    );
    return groupedByKey(metricIds, found, (r) => r.metricId).map((group) =>
      group.map((r) => r.value),
    );
  });

  /** A metric's time series, oldest first, from `since` if given. */
  measurementPage(
    metricId: string,
    first: number,
    after?: string,
    since?: Date,
  ): Promise<ConnectionResult<Measurement>> {
    const params = new SqlParams();
    const where = [`m.metric_id = ${params.add(metricId)}`];
    if (since) where.push(`m.at >= ${params.add(since)}`);
    return keysetPage<MeasurementRow>((sql, p) => this.dataSource.query(sql, p), {
      select: MEASUREMENT_COLUMNS,
      from: 'measurement m',
      where,
      params,
      orderBy: [
        { sql: 'm.at', holds: 'timestamp' },
        { sql: 'm.id', holds: 'uuid' },
      ],
      sortKey: (m) => [m.atCursor, m.id],
      first,
      after,
    });
  }
}
