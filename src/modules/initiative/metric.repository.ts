import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { SPARKLINE_POINTS } from './initiative-limits.js';
import type { MetricDirection } from './initiative.enums.js';
import type { Measurement, OutcomeMetric } from './models/initiative.models.js';

/** Outcome metric columns over `o`: the row needs no mapping. */
const METRIC_COLUMNS = `o.id, o.initiative_id AS "initiativeId", o.name, o.unit, o.baseline, o.target,
  o.direction, o.latest_value AS "latestValue", o.latest_at AS "latestAt", o.created_at AS "createdAt",
  o.reporter_id AS "reporterId"`;

/** Measurement columns over `m`, with the exact time as text for cursors (a Date drops microseconds). */
const MEASUREMENT_COLUMNS = `m.id, m.metric_id AS "metricId", m.value, m.at, m.recorded_by_id AS "recordedById",
  m.created_at AS "recordedAt", m.superseded_by_id AS "supersededById", m.correction_reason AS "correctionReason",
  to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "atCursor"`;

type MeasurementRow = Measurement & { atCursor: string };

/** A measurement as to_jsonb gives it: its times as text. */
type JsonTimes = { at: string; recordedAt: string };

const measurementFromJson = (json: MeasurementRow & JsonTimes): MeasurementRow => ({
  ...json,
  at: new Date(json.at),
  recordedAt: new Date(json.recordedAt),
});

/** Readings that stand: not superseded by a correction. Over `m`. */
const CURRENT = 'm.superseded_by_id IS NULL';

/** What a new outcome metric is made of. */
export interface NewOutcomeMetric {
  initiativeId: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  direction: MetricDirection;
  reporterId: string;
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
      `INSERT INTO outcome_metric AS o (initiative_id, name, unit, baseline, target, direction, reporter_id)
       SELECT $1::uuid, $2::varchar, $3::varchar, $4::float8, $5::float8, $6::metric_direction, $8::uuid
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
        metric.reporterId,
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

  /** The metric, or undefined. */
  findById(db: Db, metricId: string): Promise<OutcomeMetric | undefined> {
    return firstRow<OutcomeMetric>(
      db,
      `SELECT ${METRIC_COLUMNS} FROM outcome_metric o WHERE o.id = $1`,
      [metricId],
    );
  }

  /** A new name, target and direction. */
  async edit(
    tx: Db,
    metricId: string,
    definition: { name: string; target: number; direction: string },
  ): Promise<OutcomeMetric> {
    const [row] = await rows<OutcomeMetric>(
      tx,
      `UPDATE outcome_metric o SET name = $2, target = $3, direction = $4 WHERE o.id = $1
       RETURNING ${METRIC_COLUMNS}`,
      [metricId, definition.name, definition.target, definition.direction],
    );
    return row;
  }

  /** Who records its readings besides the owner. */
  async setReporter(tx: Db, metricId: string, reporterId: string): Promise<OutcomeMetric> {
    const [row] = await rows<OutcomeMetric>(
      tx,
      `UPDATE outcome_metric o SET reporter_id = $2 WHERE o.id = $1 RETURNING ${METRIC_COLUMNS}`,
      [metricId, reporterId],
    );
    return row;
  }

  /** The initiative's metrics `employeeId` reported go back to the owner (they left); their ids. */
  async returnToOwner(
    tx: Db,
    initiativeId: string,
    employeeId: string,
    ownerId: string,
  ): Promise<string[]> {
    const found = await rows<{ id: string }>(
      tx,
      `UPDATE outcome_metric SET reporter_id = $3
        WHERE initiative_id = $1 AND reporter_id = $2 RETURNING id`,
      [initiativeId, employeeId, ownerId],
    );
    return found.map((row) => row.id);
  }

  /** The reading, current or not, or undefined. */
  async findMeasurement(db: Db, measurementId: string): Promise<Measurement | undefined> {
    return firstRow<MeasurementRow>(
      db,
      `SELECT ${MEASUREMENT_COLUMNS} FROM measurement m WHERE m.id = $1`,
      [measurementId],
    );
  }

  /**
   * Marks a current reading as superseded by its correction, with the reason; false if it
   * already was (history is kept: the database refuses any other change to a reading).
   */
  async supersede(
    tx: Db,
    measurementId: string,
    correctionId: string,
    reason: string,
  ): Promise<boolean> {
    const row = await firstRow<{ id: string }>(
      tx,
      `UPDATE measurement SET superseded_by_id = $2, correction_reason = $3
        WHERE id = $1 AND superseded_by_id IS NULL RETURNING id`,
      [measurementId, correctionId, reason],
    );
    return row !== undefined;
  }

  /**
   * Keeps the metric's latest value (for dashboards and the outcome score) that of its most
   * recent current reading, by when it was true; none without one. Run under the initiative's
   * row lock, so that it sees every reading committed before it.
   */
  async refreshLatest(tx: Db, metricId: string): Promise<void> {
    await tx.query(
      `UPDATE outcome_metric o SET (latest_value, latest_at) = (
         SELECT m.value, m.at FROM measurement m WHERE m.metric_id = o.id AND ${CURRENT}
          ORDER BY m.at DESC, m.id DESC LIMIT 1)
        WHERE o.id = $1`,
      [metricId],
    );
  }

  /**
   * Each initiative's metrics, in the order they were defined, each with its latest current
   * reading (`latest`) read in the same statement.
   */
  readonly ofInitiative = new BatchLoader<string, OutcomeMetric[]>(async (initiativeIds) => {
    const found = await rows<OutcomeMetric & { latest: (MeasurementRow & JsonTimes) | null }>(
      this.dataSource,
      `SELECT ${METRIC_COLUMNS},
              (SELECT to_jsonb(l) FROM (
                 SELECT ${MEASUREMENT_COLUMNS} FROM measurement m
                  WHERE m.metric_id = o.id AND ${CURRENT}
                  ORDER BY m.at DESC, m.id DESC LIMIT 1) l) AS latest
         FROM outcome_metric o WHERE o.initiative_id = ANY($1) ORDER BY o.seq`,
      [[...initiativeIds]],
    );
    const metrics = found.map((metric) => ({
      ...metric,
      latest: metric.latest && measurementFromJson(metric.latest),
    }));
    return groupedByKey(initiativeIds, metrics, (m) => m.initiativeId);
  });

  /** Each metric's most recent current reading (by when it was true). */
  readonly latestMeasurement = new BatchLoader<string, Measurement | null>(async (metricIds) => {
    const found = await rows<MeasurementRow>(
      this.dataSource,
      `SELECT DISTINCT ON (m.metric_id) ${MEASUREMENT_COLUMNS}
         FROM measurement m WHERE m.metric_id = ANY($1) AND ${CURRENT}
        ORDER BY m.metric_id, m.at DESC, m.id DESC`,
      [[...metricIds]],
    );
    return byKey(metricIds, found, (m) => m.metricId);
  });

  /** Readings by id, current or not (a correction's original, a reading's correction). */
  readonly measurementById = new BatchLoader<string, Measurement | null>(async (ids) => {
    const found = await rows<MeasurementRow>(
      this.dataSource,
      `SELECT ${MEASUREMENT_COLUMNS} FROM measurement m WHERE m.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found, (m) => m.id);
  });

  /** For each reading, the one it corrected and superseded (null for a reading that corrects none). */
  readonly originalOfCorrection = new BatchLoader<string, Measurement | null>(
    async (correctionIds) => {
      const found = await rows<MeasurementRow>(
        this.dataSource,
        `SELECT ${MEASUREMENT_COLUMNS} FROM measurement m WHERE m.superseded_by_id = ANY($1)`,
        [[...correctionIds]],
      );
      return byKey(correctionIds, found, (m) => m.supersededById ?? '');
    },
  );

  /** Each metric's latest SPARKLINE_POINTS current values, oldest first: for sparklines. */
  readonly recentValues = new BatchLoader<string, number[]>(async (metricIds) => {
    const found = await rows<{ metricId: string; value: number }>(
      this.dataSource,
      `SELECT metric_id AS "metricId", value FROM (
         SELECT metric_id, value, at, id,
                row_number() OVER (PARTITION BY metric_id ORDER BY at DESC, id DESC) AS recency
           FROM measurement m WHERE metric_id = ANY($1) AND ${CURRENT}
       ) recent WHERE recency <= ${SPARKLINE_POINTS} ORDER BY metric_id, at, id`,
      [[...metricIds]],
    );
    return groupedByKey(metricIds, found, (r) => r.metricId).map((group) =>
      group.map((r) => r.value),
    );
  });

  /**
   * A metric's time series, oldest first, from `since` if given: its current readings, or with
   * `includeSuperseded` its whole history (corrected readings beside their corrections).
   */
  measurementPage(
    metricId: string,
    first: number,
    after?: string,
    since?: Date,
    includeSuperseded = false,
  ): Promise<ConnectionResult<Measurement>> {
    const params = new SqlParams();
    const where = [`m.metric_id = ${params.add(metricId)}`];
    if (since) where.push(`m.at >= ${params.add(since)}`);
    if (!includeSuperseded) where.push(CURRENT);
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
