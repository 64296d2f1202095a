import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { actsForBuyerCondition } from './bid.repository.js';
import { buyerScope } from './market-policy.js';
import type { EngagementStatus } from './market.enums.js';
import type { Engagement } from './models/market.models.js';

/** Engagement columns over `engagement g`. */
export const ENGAGEMENT_COLUMNS = `g.id, g.seq, g.bid_id AS "bidId", g.need_id AS "needId", g.employee_id AS "employeeId",
  g.hours_per_week AS "hoursPerWeek", g.weeks, g.rate_per_hour AS "ratePerHour", g.total_hours AS "totalHours",
  g.logged_hours AS "loggedHours", g.status, g.created_at AS "startedAt", g.finished_at AS "finishedAt",
  to_char(g.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(g.starts_on + 7 * g.weeks - 1, 'YYYY-MM-DD') AS "endsOn"`;

export type EngagementRow = Omit<Engagement, 'seq'> & { seq: string | number };
export const toEngagement = (row: EngagementRow): Engagement => ({ ...row, seq: Number(row.seq) });

/** What an accepted bid's engagement is made of. */
export interface NewEngagement {
  bidId: string;
  needId: string;
  employeeId: string;
  hoursPerWeek: number;
  weeks: number;
  ratePerHour: number;
  /** The Monday of the week it was accepted in. */
  startsOn: string;
}

/** An engagement ended with its need: who worked on it and the hours it held. */
export interface EndedEngagement {
  employeeId: string;
  hoursPerWeek: number;
}

/** The `engagement` table. */
@Injectable()
export class EngagementRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts an ACTIVE engagement of hoursPerWeek × weeks hours. */
  async insert(tx: Db, engagement: NewEngagement): Promise<Engagement> {
    const [row] = await rows<EngagementRow>(
      tx,
      `INSERT INTO engagement AS g (bid_id, need_id, employee_id, hours_per_week, weeks, rate_per_hour, total_hours, starts_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING ${ENGAGEMENT_COLUMNS}`,
      [
        engagement.bidId,
        engagement.needId,
        engagement.employeeId,
        engagement.hoursPerWeek,
        engagement.weeks,
        engagement.ratePerHour,
        engagement.hoursPerWeek * engagement.weeks,
        engagement.startsOn,
      ],
    );
    return toEngagement(row);
  }

  /** Ends the need's ACTIVE engagements; whose they were and the hours they held. */
  endActiveOfNeed(tx: Db, needId: string): Promise<EndedEngagement[]> {
    return rows<EndedEngagement>(
      tx,
      `UPDATE engagement SET status = 'ENDED', finished_at = now()
        WHERE need_id = $1 AND status = 'ACTIVE'
        RETURNING employee_id AS "employeeId", hours_per_week AS "hoursPerWeek"`,
      [needId],
    );
  }

  /**
   * Adds logged hours to an ACTIVE engagement, which becomes COMPLETED when they reach its
   * total; undefined if it is not ACTIVE. Fails on engagement_logged_hours_check past the total.
   */
  async addLoggedHours(tx: Db, id: string, hours: number): Promise<Engagement | undefined> {
    const row = await firstRow<EngagementRow>(
      tx,
      `UPDATE engagement g SET logged_hours = logged_hours + $2,
              status = CASE WHEN logged_hours + $2 = total_hours THEN 'COMPLETED' ELSE status END::engagement_status,
              finished_at = CASE WHEN logged_hours + $2 = total_hours THEN now() ELSE finished_at END
        WHERE id = $1 AND status = 'ACTIVE'
        RETURNING ${ENGAGEMENT_COLUMNS}`,
      [id, hours],
    );
    return row && toEngagement(row);
  }

  /**
   * ACTIVE engagements whose last week ended before `day` (oldest first, at most `limit`):
   * what the calendar sweep completes. Read without locks; each is locked when completed.
   */
  async activeEndedBefore(day: string, limit: number): Promise<{ id: string; needId: string }[]> {
    return rows<{ id: string; needId: string }>(
      this.dataSource,
      `SELECT id, need_id AS "needId" FROM engagement
        WHERE status = 'ACTIVE' AND starts_on + 7 * weeks <= $1::date
        ORDER BY seq LIMIT $2`,
      [day, limit],
    );
  }

  /** The ids of the employee's ACTIVE engagements, oldest first (read without locks). */
  async activeIdsOf(db: Db, employeeId: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT id FROM engagement WHERE employee_id = $1 AND status = 'ACTIVE' ORDER BY seq`,
      [employeeId],
    );
    return found.map((row) => row.id);
  }

  /** Marks a locked ACTIVE engagement ENDED before its weeks are over (its worker left). */
  async endLocked(tx: Db, id: string): Promise<Engagement> {
    const [row] = await rows<EngagementRow>(
      tx,
      `UPDATE engagement g SET status = 'ENDED', finished_at = now()
        WHERE id = $1 AND status = 'ACTIVE' RETURNING ${ENGAGEMENT_COLUMNS}`,
      [id],
    );
    return toEngagement(row);
  }

  /** Marks a locked ACTIVE engagement COMPLETED: its weeks are over. */
  async completeLocked(tx: Db, id: string): Promise<Engagement> {
    const [row] = await rows<EngagementRow>(
      tx,
      `UPDATE engagement g SET status = 'COMPLETED', finished_at = now()
        WHERE id = $1 AND status = 'ACTIVE' RETURNING ${ENGAGEMENT_COLUMNS}`,
      [id],
    );
    return toEngagement(row);
  }

  /** The engagement, or undefined. Reads through `db` (a transaction) when given. */
  async findById(id: string, db: Db = this.dataSource): Promise<Engagement | undefined> {
    const row = await firstRow<EngagementRow>(
      db,
      `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.id = $1`,
      [id],
    );
    return row && toEngagement(row);
  }

  readonly byId = new BatchLoader<string, Engagement | null>(async (ids) => {
    const found = await rows<EngagementRow>(
      this.dataSource,
      `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toEngagement), (e) => e.id);
  });

  readonly byBid = new BatchLoader<string, Engagement | null>(async (bidIds) => {
    const found = await rows<EngagementRow>(
      this.dataSource,
      `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.bid_id = ANY($1)`,
      [[...bidIds]],
    );
    return byKey(bidIds, found.map(toEngagement), (e) => e.bidId);
  });

  /**
   * Engagements of needs, as the actor may see them: all of them to the buyer's leads, one's
   * own to a worker. Key: the need and who is looking.
   */
  readonly visibleByNeed = new BatchLoader<{ needId: string; actor: Actor }, Engagement[], string>(
    async (keys) => {
      const byActor = new Map<string, { needId: string; actor: Actor }[]>();
      for (const key of keys)
        byActor.set(key.actor.id, [...(byActor.get(key.actor.id) ?? []), key]);
      const results = new Map<string, Engagement[]>();
      for (const group of byActor.values()) {
        const actor = group[0].actor;
        const needIds = group.map((key) => key.needId);
        const params = new SqlParams();
        const needs = params.add(needIds);
        const visible = `(g.employee_id = ${params.add(actor.id)} OR ${actsForBuyerCondition(buyerScope(actor), params)})`;
        const found = await rows<EngagementRow>(
          this.dataSource,
          `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g JOIN need n ON n.id = g.need_id
            WHERE g.need_id = ANY(${needs}) AND ${visible} ORDER BY g.seq`,
          params.values,
        );
        const byNeed = groupedByKey(needIds, found.map(toEngagement), (e) => e.needId);
        needIds.forEach((needId, i) => results.set(`${needId}:${actor.id}`, byNeed[i]));
      }
      return keys.map((key) => results.get(`${key.needId}:${key.actor.id}`)!);
    },
    { cacheKeyFn: (key) => `${key.needId}:${key.actor.id}` },
  );

  /** An employee's engagements, newest first. */
  pageOfEmployee(
    employeeId: string,
    first: number,
    after?: string,
    status?: EngagementStatus,
  ): Promise<ConnectionResult<Engagement>> {
    const params = new SqlParams();
    const where = [`g.employee_id = ${params.add(employeeId)}`];
    if (status) where.push(`g.status = ${params.add(status)}`);
    return keysetPage<EngagementRow, Engagement>((sql, p) => this.dataSource.query(sql, p), {
      select: ENGAGEMENT_COLUMNS,
      from: 'engagement g',
      where,
      params,
      orderBy: [{ sql: 'g.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (e) => [e.seq],
      map: toEngagement,
      first,
      after,
    });
  }
}
