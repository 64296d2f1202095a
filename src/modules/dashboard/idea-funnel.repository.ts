import { Injectable } from '@nestjs/common';
import { SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { rows, type Db } from '../../database/sql.js';
import type { IdeaFunnelFilter } from './dto/dashboard.inputs.js';

/** How many submitted ideas reached each stage, and the median hours spent in each. */
export type IdeaFunnelCounts = Record<
  'proposed' | 'submitted' | 'funded' | 'approved' | 'rejected' | 'withdrawn',
  number
> &
  Record<'draftHours' | 'fundingHours' | 'approvalHours', number | null>;

/** Reads the idea table (the idea module's) for the funnel: one aggregate pass, no writes. */
@Injectable()
export class IdeaFunnelRepository {
  /** Stale-tolerant reads: the read replica when this request may use it (README). */
  constructor(private readonly reads: ReadDb) {}

  /**
   * The stage counts and median times of the submitted ideas the filter selects (a draft is
   * its proposer's alone, so it is never counted). `proposedIn` is whole UTC days.
   */
  async counts(
    filter: IdeaFunnelFilter | undefined,
    db: Db = this.reads,
  ): Promise<IdeaFunnelCounts> {
    const params = new SqlParams();
    const where = ['submitted_at IS NOT NULL'];
    if (filter?.sponsorTeamId) where.push(`sponsor_team_id = ${params.add(filter.sponsorTeamId)}`);
    if (filter?.proposedIn?.from) {
      where.push(
        `created_at >= ${params.add(filter.proposedIn.from)}::date::timestamp AT TIME ZONE 'UTC'`,
      );
    }
    if (filter?.proposedIn?.to) {
      where.push(
        `created_at < (${params.add(filter.proposedIn.to)}::date + 1)::timestamp AT TIME ZONE 'UTC'`,
      );
    }
    // date_part gives a float8; extract() gives numeric, whose arithmetic and sorting make
    // the three medians over every idea cost half as much again.
    const hours = (to: string, from: string) =>
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', ${to} - ${from}) / 3600)`;
    const [counts] = await rows<IdeaFunnelCounts>(
      db,
      `SELECT count(*)::int AS proposed,
              count(submitted_at)::int AS submitted,
              count(funded_at)::int AS funded,
              count(*) FILTER (WHERE status = 'APPROVED')::int AS approved,
              count(*) FILTER (WHERE status = 'REJECTED')::int AS rejected,
              count(*) FILTER (WHERE status = 'WITHDRAWN')::int AS withdrawn,
              ${hours('submitted_at', 'created_at')} FILTER (WHERE submitted_at IS NOT NULL) AS "draftHours",
              ${hours('funded_at', 'submitted_at')} FILTER (WHERE funded_at IS NOT NULL) AS "fundingHours",
              ${hours('decided_at', 'funded_at')} FILTER (WHERE status = 'APPROVED') AS "approvalHours"
         FROM idea WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return counts;
  }
}
