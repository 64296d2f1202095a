import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams, type SortColumn } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { IdeaFilter } from './dto/idea.inputs.js';
import { IdeaSort, IdeaStatus } from './idea.enums.js';
import type { Idea, SimilarIdea } from './models/idea.models.js';

const IDEA_COLUMNS = `i.id, i.seq, i.proposer_id AS "proposerId", i.sponsor_team_id AS "sponsorTeamId",
  i.escrow_account_id AS "escrowAccountId", i.initiative_id AS "initiativeId", i.title, i.problem, i.proposal,
  i.expected_outcomes AS "expectedOutcomes", i.funding_goal AS "fundingGoal", i.pledged_total AS "pledgedTotal",
  i.hours_per_week_needed AS "hoursPerWeekNeeded", i.endorsement_count AS "endorsementCount", i.status,
  i.decision_reason AS "decisionReason", i.created_at AS "createdAt", i.submitted_at AS "submittedAt",
  i.funded_at AS "fundedAt", i.decided_at AS "decidedAt", i.pending_skill_names AS "pendingSkillNames"`;
/** The same expression as idea_search_idx. */
const SEARCH_DOCUMENT = `to_tsvector('english', i.title || ' ' || i.problem || ' ' || i.proposal || ' ' || i.expected_outcomes)`;

type IdeaRow = Omit<Idea, 'seq' | 'fundingGoal' | 'pledgedTotal'> &
  Record<'seq' | 'fundingGoal' | 'pledgedTotal', string>;
const toIdea = (row: IdeaRow): Idea => ({
  ...row,
  seq: Number(row.seq),
  fundingGoal: Number(row.fundingGoal),
  pledgedTotal: Number(row.pledgedTotal),
});

/**
 * isVisibleIdea (idea-policy.ts) as SQL over an idea aliased `i`, for the viewer `viewerId`:
 * submitted ideas, and the viewer's own drafts.
 */
const visibleTo = (viewerId: string, params: SqlParams): string =>
  `(i.submitted_at IS NOT NULL OR i.proposer_id = ${params.add(viewerId)})`;

/** A new DRAFT, as proposed. */
export interface NewIdea {
  id: string;
  proposerId: string;
  sponsorTeamId: string;
  escrowAccountId: string;
  title: string;
  problem: string;
  proposal: string;
  expectedOutcomes: string;
  fundingGoal: number;
  hoursPerWeekNeeded: number | null;
  /** Skill names nobody has used yet: created when the draft is submitted. */
  pendingSkillNames: string[];
}

/** The `idea` table, with its `idea_skill` links and its `endorsement`s. */
@Injectable()
export class IdeaRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** Inserts a DRAFT. Fails on idea_sponsor_team_id_fkey when the team does not exist. */
  async insert(tx: Db, idea: NewIdea): Promise<Idea> {
    return this.one(
      tx,
      `INSERT INTO idea AS i (id, proposer_id, sponsor_team_id, escrow_account_id, title, problem, proposal,
                              expected_outcomes, funding_goal, hours_per_week_needed, pending_skill_names)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${IDEA_COLUMNS}`,
      [
        idea.id,
        idea.proposerId,
        idea.sponsorTeamId,
        idea.escrowAccountId,
        idea.title,
        idea.problem,
        idea.proposal,
        idea.expectedOutcomes,
        idea.fundingGoal,
        idea.hoursPerWeekNeeded,
        idea.pendingSkillNames,
      ],
    );
  }

  /** Names skills as needed by the idea; links it has already are left alone. */
  async linkSkills(tx: Db, ideaId: string, skillIds: readonly string[]): Promise<void> {
    if (skillIds.length === 0) return;
    await tx.query(
      `INSERT INTO idea_skill (idea_id, skill_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ideaId, skillIds],
    );
  }

  /** The names of the skills linked to the idea, by normalised name. */
  async linkedSkillNames(tx: Db, ideaId: string): Promise<string[]> {
    const found = await rows<{ name: string }>(
      tx,
      `SELECT k.name FROM idea_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.idea_id = $1 ORDER BY k.normalized_name`,
      [ideaId],
    );
    return found.map((r) => r.name);
  }

  /** Unlinks the idea's skills that are not in `keepSkillIds`. */
  async unlinkSkillsExcept(tx: Db, ideaId: string, keepSkillIds: readonly string[]): Promise<void> {
    await tx.query(`DELETE FROM idea_skill WHERE idea_id = $1 AND skill_id <> ALL($2::uuid[])`, [
      ideaId,
      keepSkillIds,
    ]);
  }

  /** Writes the idea's edited text and pending skill names (an edit, under the idea's lock). */
  updateText(
    tx: Db,
    id: string,
    text: Pick<Idea, 'title' | 'problem' | 'proposal' | 'expectedOutcomes' | 'pendingSkillNames'>,
  ): Promise<Idea> {
    return this.one(
      tx,
      `UPDATE idea i SET title = $2, problem = $3, proposal = $4, expected_outcomes = $5,
              pending_skill_names = $6
        WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [id, text.title, text.problem, text.proposal, text.expectedOutcomes, text.pendingSkillNames],
    );
  }

  /** The idea, its row locked FOR UPDATE until the transaction ends. */
  async lock(tx: Db, id: string): Promise<Idea | undefined> {
    const row = await firstRow<IdeaRow>(
      tx,
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = $1 FOR UPDATE`,
      [id],
    );
    return row && toIdea(row);
  }

  async findById(id: string, db: Db = this.dataSource): Promise<Idea | undefined> {
    const row = await firstRow<IdeaRow>(db, `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = $1`, [
      id,
    ]);
    return row && toIdea(row);
  }

  /** DRAFT → SUBMITTED: published now, its pending skill names cleared (they exist now). */
  markSubmitted(tx: Db, id: string): Promise<Idea> {
    return this.one(
      tx,
      `UPDATE idea i SET status = 'SUBMITTED', submitted_at = now(), pending_skill_names = '{}'
        WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [id],
    );
  }

  /** Records the employee's endorsement; false if it was there already. */
  async addEndorsement(tx: Db, ideaId: string, employeeId: string): Promise<boolean> {
    const added = await rows(
      tx,
      `INSERT INTO endorsement (idea_id, employee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [ideaId, employeeId],
    );
    return added.length > 0;
  }

  /** Takes the employee's endorsement back; false if there was none. */
  async removeEndorsement(tx: Db, ideaId: string, employeeId: string): Promise<boolean> {
    const removed = await rows(
      tx,
      `DELETE FROM endorsement WHERE idea_id = $1 AND employee_id = $2 RETURNING 1`,
      [ideaId, employeeId],
    );
    return removed.length > 0;
  }

  /** Moves the endorsement count by `change` (one endorsement added or taken back). */
  countEndorsements(tx: Db, id: string, change: 1 | -1): Promise<Idea> {
    return this.one(
      tx,
      `UPDATE idea i SET endorsement_count = endorsement_count + $2 WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [id, change],
    );
  }

  /**
   * Adds a pledge to the total; the idea becomes FUNDED when the total reaches the goal.
   * Fails on idea_pledged_within_goal past the goal.
   */
  addPledged(tx: Db, id: string, amount: number): Promise<Idea> {
    return this.one(
      tx,
      `UPDATE idea i SET pledged_total = pledged_total + $2,
                  status = CASE WHEN pledged_total + $2 = funding_goal THEN 'FUNDED' ELSE status END::idea_status,
                  funded_at = CASE WHEN pledged_total + $2 = funding_goal THEN now() ELSE funded_at END
            WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [id, amount],
    );
  }

  /** → APPROVED, pointing at the initiative it became. */
  markApproved(tx: Db, id: string, initiativeId: string): Promise<Idea> {
    return this.one(
      tx,
      `UPDATE idea i SET status = 'APPROVED', decided_at = now(), initiative_id = $2 WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [id, initiativeId],
    );
  }

  /** → REJECTED (with the reason) or WITHDRAWN. */
  markClosed(
    tx: Db,
    id: string,
    status: IdeaStatus.REJECTED | IdeaStatus.WITHDRAWN,
    reason: string | null,
  ): Promise<Idea> {
    return this.one(
      tx,
      `UPDATE idea i SET status = $2, decided_at = now(), decision_reason = $3 WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [id, status, reason],
    );
  }

  /** The ideas `viewerId` may see that match the filter, newest (or most endorsed, funded) first. */
  page(
    viewerId: string,
    filter: IdeaFilter | undefined,
    sort: IdeaSort,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Idea>> {
    const params = new SqlParams();
    const where = [visibleTo(viewerId, params)];
    if (filter?.status) where.push(`i.status = ${params.add(filter.status)}`);
    if (filter?.sponsorTeamId)
      where.push(`i.sponsor_team_id = ${params.add(filter.sponsorTeamId)}`);
    if (filter?.proposerId) where.push(`i.proposer_id = ${params.add(filter.proposerId)}`);
    if (filter?.text)
      where.push(
        `${SEARCH_DOCUMENT} @@ websearch_to_tsquery('english', ${params.add(filter.text)})`,
      );
    const seq: SortColumn = { sql: 'i.seq', holds: 'bigint' };
    const [orderBy, sortKey]: [SortColumn[], (idea: Idea) => (string | number)[]] =
      sort === IdeaSort.MOST_ENDORSED
        ? [
            [{ sql: 'i.endorsement_count', holds: 'integer' }, seq],
            (idea) => [idea.endorsementCount, idea.seq],
          ]
        : sort === IdeaSort.MOST_FUNDED
          ? [
              [{ sql: 'i.pledged_total', holds: 'bigint' }, seq],
              (idea) => [idea.pledgedTotal, idea.seq],
            ]
          : [[seq], (idea) => [idea.seq]];
    return keysetPage<IdeaRow, Idea>((sql, p) => this.reads.query(sql, p), {
      select: IDEA_COLUMNS,
      from: 'idea i',
      where,
      params,
      orderBy,
      descending: true,
      sortKey,
      map: toIdea,
      first,
      after,
    });
  }

  /**
   * Ideas `viewerId` may see that look like this one: titles close by trigram similarity
   * (idea_title_trgm_idx), or any word of the title found in another idea's text
   * (idea_search_idx). Most similar first.
   */
  similar(
    idea: Pick<Idea, 'id' | 'title'>,
    viewerId: string,
    first: number,
  ): Promise<SimilarIdea[]> {
    const params = new SqlParams();
    const id = params.add(idea.id);
    const title = params.add(idea.title);
    return rows<SimilarIdea>(
      this.dataSource,
      `WITH q AS (
         SELECT nullif(replace(plainto_tsquery('english', ${title})::text, '&', '|'), '')::tsquery AS words
       )
       SELECT i.id AS "ideaId",
              round(greatest(similarity(i.title, ${title}), coalesce(ts_rank(${SEARCH_DOCUMENT}, q.words, 32), 0))::numeric, 3)::float8 AS similarity
         FROM idea i CROSS JOIN q
        WHERE i.id <> ${id} AND ${visibleTo(viewerId, params)}
          AND (i.title % ${title} OR ${SEARCH_DOCUMENT} @@ q.words)
        ORDER BY similarity DESC, i.seq DESC
        LIMIT ${params.add(first)}`,
      params.values,
    );
  }

  readonly byId = new BatchLoader<string, Idea | null>(async (ids) => {
    const found = await rows<IdeaRow>(
      this.dataSource,
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toIdea), (idea) => idea.id);
  });

  /** The idea an initiative was born from. */
  readonly byInitiative = new BatchLoader<string, Idea | null>(async (initiativeIds) => {
    const found = await rows<IdeaRow>(
      this.dataSource,
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.initiative_id = ANY($1)`,
      [[...initiativeIds]],
    );
    return byKey(initiativeIds, found.map(toIdea), (idea) => idea.initiativeId!);
  });

  /** The ids of the skills an idea needs, by skill name. */
  readonly skillIds = new BatchLoader<string, string[]>(async (ideaIds) => {
    const links = await rows<{ ideaId: string; skillId: string }>(
      this.dataSource,
      `SELECT s.idea_id AS "ideaId", s.skill_id AS "skillId" FROM idea_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.idea_id = ANY($1) ORDER BY k.normalized_name`,
      [[...ideaIds]],
    );
    return groupedByKey(ideaIds, links, (r) => r.ideaId).map((group) =>
      group.map((r) => r.skillId),
    );
  });

  /** Whether an employee endorses an idea. Key: `${ideaId}:${employeeId}`. */
  readonly endorsedBy = new BatchLoader<string, boolean>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const found = await rows<{ key: string }>(
      this.dataSource,
      `SELECT e.idea_id || ':' || e.employee_id AS key FROM endorsement e
        WHERE (e.idea_id, e.employee_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
      [pairs.map(([idea]) => idea), pairs.map(([, employee]) => employee)],
    );
    const endorsed = new Set(found.map((r) => r.key));
    return keys.map((key) => endorsed.has(key));
  });

  /** The idea a statement returned (one that writes a row known to exist, under its lock). */
  private async one(db: Db, sql: string, params: unknown[]): Promise<Idea> {
    const row = await firstRow<IdeaRow>(db, sql, params);
    if (!row) throw notFound('Idea');
    return toIdea(row);
  }
}
