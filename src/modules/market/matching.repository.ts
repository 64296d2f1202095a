import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { rows } from '../../database/sql.js';
import type { CandidateMatch, SkillMatch } from './models/market.models.js';

/** Weights of the fit score; they sum to 1. */
const SKILL_WEIGHT = 0.6;
const CAPACITY_WEIGHT = 0.25;
const DELIVERY_WEIGHT = 0.15;
/** Completed engagements beyond this add nothing more to the score. */
const DELIVERY_SATURATION = 5;

/**
 * Reads for matching people to needs (read-only over employee, skill and engagement tables).
 *
 * Ranks employees for a need in one SQL statement. Candidates are the people holding at least
 * one required skill, at any level (employee_skill is indexed by skill), or everyone with spare
 * hours for a need that requires no skill. Past delivery comes from a partial index of
 * completed engagements. Members of the buying team are left out: they cannot bid.
 *
 * score = 0.6 × (required skills held at the required level ÷ required skills; 1 if none)
 *       + 0.25 × (min(spare hours, hours wanted) ÷ hours wanted)
 *       + 0.15 × (min(completed engagements, 5) ÷ 5)
 */
@Injectable()
export class MatchingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async suggestedCandidates(needId: string, first: number): Promise<CandidateMatch[]> {
    const ranked = await rows<Omit<CandidateMatch, 'needId'>>(
      this.dataSource,
      `WITH target AS (
         SELECT id, hours_per_week, buyer_kind, buyer_id FROM need WHERE id = $1
       ),
       required AS (
         SELECT skill_id, min_level FROM need_skill WHERE need_id = $1
       ),
       required_count AS (
         SELECT count(*)::int AS n FROM required
       ),
       coverage AS (
         SELECT s.employee_id, count(*) FILTER (WHERE s.level >= r.min_level)::int AS covered,
                count(*)::int AS held
           FROM required r JOIN employee_skill s ON s.skill_id = r.skill_id
          GROUP BY s.employee_id
       ),
       candidates AS (
         SELECT e.id, coalesce(c.covered, 0) AS covered,
                e.weekly_capacity_hours - e.committed_hours_per_week AS spare
           FROM employee e
           LEFT JOIN coverage c ON c.employee_id = e.id
          WHERE e.weekly_capacity_hours > e.committed_hours_per_week
            AND ((SELECT n FROM required_count) = 0 OR c.held > 0)
            AND NOT EXISTS (
              SELECT 1 FROM target t JOIN team_membership m ON m.team_id = t.buyer_id
               WHERE t.buyer_kind = 'TEAM' AND m.employee_id = e.id
            )
       ),
       delivery AS (
         SELECT g.employee_id, count(*)::int AS completed
           FROM engagement g JOIN candidates c ON c.id = g.employee_id
          WHERE g.status = 'COMPLETED'
          GROUP BY g.employee_id
       )
       SELECT c.id AS "employeeId", c.covered AS "coveredSkillCount", rc.n AS "requiredSkillCount",
              c.spare AS "spareHoursPerWeek", coalesce(d.completed, 0) AS "completedEngagements",
              round((
                ${SKILL_WEIGHT} * CASE WHEN rc.n = 0 THEN 1 ELSE c.covered::numeric / rc.n END
                + ${CAPACITY_WEIGHT} * least(c.spare, t.hours_per_week)::numeric / t.hours_per_week
                + ${DELIVERY_WEIGHT} * least(coalesce(d.completed, 0), ${DELIVERY_SATURATION})::numeric / ${DELIVERY_SATURATION}
              ), 4)::float8 AS score
         FROM candidates c
         CROSS JOIN target t CROSS JOIN required_count rc
         LEFT JOIN delivery d ON d.employee_id = c.id
        ORDER BY score DESC, c.spare DESC, c.id
        LIMIT $2`,
      [needId, first],
    );
    return ranked.map((row) => ({ ...row, needId }));
  }

  /** Key: `${needId}:${employeeId}`: the need's required skills that the employee holds. */
  readonly skillMatches = new BatchLoader<string, SkillMatch[]>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const found = await rows<SkillMatch & { key: string }>(
      this.dataSource,
      `SELECT r.need_id || ':' || s.employee_id AS key, s.skill_id AS "skillId", s.level,
              r.min_level AS "requiredLevel", s.level >= r.min_level AS "meetsRequirement"
         FROM (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS p(need_id, employee_id)) p
         JOIN need_skill r ON r.need_id = p.need_id
         JOIN employee_skill s ON s.skill_id = r.skill_id AND s.employee_id = p.employee_id
        ORDER BY s.level - r.min_level DESC`,
      [pairs.map(([need]) => need), pairs.map(([, employee]) => employee)],
    );
    return groupedByKey(keys, found, (row) => row.key);
  });
}
