import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams } from '../../database/keyset.js';
import type { IdeaFunnelFilter } from './dto/dashboard.inputs.js';
import { FunnelStage, type IdeaFunnel } from './models/dashboard.models.js';

type FunnelRow = Record<
  'proposed' | 'submitted' | 'funded' | 'approved' | 'rejected' | 'withdrawn',
  number
> &
  Record<'draftHours' | 'fundingHours' | 'approvalHours', number | null>;

const round1 = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10) / 10;

/**
 * How far ideas get. An idea reaches SUBMITTED, FUNDED and APPROVED when it gets there, even if
 * it later leaves (a funded idea that is then rejected still counts as funded). Time in a stage
 * is measured for the ideas that moved on to the next one: draft to submission, submission to
 * full funding, full funding to approval.
 *
 * Drafts are their proposer's alone, so no figure counts an idea before it is submitted: a
 * draft, or one withdrawn unsubmitted, is in no stage and no withdrawn count. PROPOSED counts
 * the same ideas as SUBMITTED; its time in stage is how long they were drafts.
 */
@Injectable()
export class IdeaFunnelService {
  constructor(private readonly dataSource: DataSource) {}

  async funnel(filter: IdeaFunnelFilter | undefined): Promise<IdeaFunnel> {
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
    const [row] = (await this.dataSource.query(
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
    )) as FunnelRow[];
    const stages: [FunnelStage, number, number | null][] = [
      [FunnelStage.PROPOSED, row.proposed, row.draftHours],
      [FunnelStage.SUBMITTED, row.submitted, row.fundingHours],
      [FunnelStage.FUNDED, row.funded, row.approvalHours],
      [FunnelStage.APPROVED, row.approved, null],
    ];
    return {
      steps: stages.map(([stage, reached, medianHours], i) => {
        const before = i > 0 ? stages[i - 1][1] : null;
        return {
          stage,
          reached,
          conversionPercent: before ? round1((reached / before) * 100) : null,
          medianHoursInStage: round1(medianHours),
        };
      }),
      rejected: row.rejected,
      withdrawn: row.withdrawn,
    };
  }
}
