import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import {
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams, type SortColumn } from '../../database/keyset.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { modifiedRows, type Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import type { Initiative } from '../initiative/models/initiative.models.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { TransferEntity } from '../ledger/transfer.entity.js';
import { normalizeSkillName, tidySkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import type {
  EndorseIdeaInput,
  IdeaDecisionInput,
  IdeaFilter,
  PledgeToIdeaInput,
  ProposeIdeaInput,
  RejectIdeaInput,
} from './dto/idea.inputs.js';
import { MAX_PLEDGES_PER_IDEA } from './idea-limits.js';
import { IdeaSort, IdeaStatus } from './idea.enums.js';
import type { Idea, Pledge, SimilarIdea } from './models/idea.models.js';

const IDEA_COLUMNS = `i.id, i.seq, i.proposer_id AS "proposerId", i.sponsor_team_id AS "sponsorTeamId",
  i.escrow_account_id AS "escrowAccountId", i.initiative_id AS "initiativeId", i.title, i.problem, i.proposal,
  i.expected_outcomes AS "expectedOutcomes", i.funding_goal AS "fundingGoal", i.pledged_total AS "pledgedTotal",
  i.hours_per_week_needed AS "hoursPerWeekNeeded", i.endorsement_count AS "endorsementCount", i.status,
  i.decision_reason AS "decisionReason", i.created_at AS "createdAt", i.submitted_at AS "submittedAt",
  i.funded_at AS "fundedAt", i.decided_at AS "decidedAt", i.pending_skill_names AS "pendingSkillNames"`;
const PLEDGE_COLUMNS = `p.id, p.idea_id AS "ideaId", p.team_id AS "teamId", p.pledged_by_id AS "pledgedById",
  p.amount, p.created_at AS "pledgedAt"`;
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
type PledgeRow = Omit<Pledge, 'amount'> & { amount: string };
const toPledge = (row: PledgeRow): Pledge => ({ ...row, amount: Number(row.amount) });

/**
 * An idea is open to everyone once submitted, whatever becomes of it; until then it is its
 * proposer's alone: a draft, and a draft withdrawn without ever being submitted (its status
 * alone would not tell, hence submitted_at).
 */
export const isVisibleIdea = (
  idea: Pick<Idea, 'submittedAt' | 'proposerId'>,
  actor: Actor,
): boolean => idea.submittedAt !== null || idea.proposerId === actor.id;
const visibleSql = (actor: Actor, params: SqlParams): string =>
  `(i.submitted_at IS NOT NULL OR i.proposer_id = ${params.add(actor.id)})`;

export const ideaChangedTopic = (ideaId: string): string => `ideaChanged:${ideaId}`;

export interface IdeaChangedEvent {
  ideaId: string;
}

export interface PledgeResult {
  idea: Idea;
  pledge: Pledge;
  transfer: TransferEntity;
}

export interface ApproveResult {
  idea: Idea;
  initiative: Initiative;
}

export interface RefundResult {
  idea: Idea;
  refunds: TransferEntity[];
}

/** Ideas from proposal to decision: endorsements, pledges, approval into an initiative. */
@Injectable()
export class IdeaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly skills: SkillService,
    private readonly initiatives: InitiativeService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /**
   * A DRAFT, seen only by its proposer until submitted, with its own (empty) escrow. Skills
   * that exist are linked at once; names nobody has used wait on the draft, so that a draft
   * never publishes a skill.
   */
  async propose(input: ProposeIdeaInput, actor: Actor): Promise<Idea> {
    return this.transactions.run(async (manager) => {
      const id = randomUUID();
      const escrow = await this.ledger.openAccount(manager, AccountKind.IDEA_ESCROW, id);
      const known = await this.skills.findByNames(manager, input.skillsNeeded);
      const pending = new Map<string, string>();
      for (const name of input.skillsNeeded) {
        const key = normalizeSkillName(name);
        if (!known.has(key) && !pending.has(key)) pending.set(key, tidySkillName(name));
      }
      let row: IdeaRow;
      try {
        [row] = (await manager.query(
          `INSERT INTO idea AS i (id, proposer_id, sponsor_team_id, escrow_account_id, title, problem, proposal,
                                  expected_outcomes, funding_goal, hours_per_week_needed, pending_skill_names)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${IDEA_COLUMNS}`,
          [
            id,
            actor.id,
            input.sponsorTeamId,
            escrow.id,
            input.title,
            input.problem,
            input.proposal,
            input.expectedOutcomes,
            input.fundingGoal,
            input.hoursPerWeekNeeded ?? null,
            [...pending.values()],
          ],
        )) as IdeaRow[];
      } catch (error) {
        if (isConstraintViolation(error, 'idea_sponsor_team_id_fkey'))
          throw notFound('Team', 'input.sponsorTeamId');
        throw error;
      }
      await this.linkSkills(manager, id, [...known.values()]);
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'idea.propose',
        subjectType: 'Idea',
        subjectId: id,
        payload: {
          title: input.title,
          sponsorTeamId: input.sponsorTeamId,
          fundingGoal: input.fundingGoal,
        },
      });
      return toIdea(row);
    });
  }

  /** Publishes the draft, and with it the skill names it was the first to use. */
  async submit(ideaId: string, actor: Actor): Promise<Idea> {
    return this.change(ideaId, actor, async (manager, idea) => {
      if (idea.proposerId !== actor.id) throw forbidden('Only the proposer submits an idea');
      if (idea.status !== IdeaStatus.DRAFT)
        throw invalidTransition(`The idea is ${idea.status} already`);
      // Someone may have created some of them meanwhile: those are linked as they are.
      const created = await this.skills.ensureSkills(manager, idea.pendingSkillNames);
      await this.linkSkills(manager, idea.id, [...created.values()]);
      const [row] = await modifiedRows<IdeaRow>(
        manager,
        `UPDATE idea i SET status = 'SUBMITTED', submitted_at = now(), pending_skill_names = '{}'
          WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
        [idea.id],
      );
      await this.record(manager, actor, 'idea.submit', idea.id);
      return toIdea(row);
    });
  }

  /** One endorsement per person; endorsing again does nothing, `endorsed: false` takes it back. */
  async endorse(input: EndorseIdeaInput, actor: Actor): Promise<Idea> {
    return this.change(input.ideaId, actor, async (manager, idea) => {
      if (idea.proposerId === actor.id) throw forbidden('Proposers cannot endorse their own idea');
      if (![IdeaStatus.SUBMITTED, IdeaStatus.FUNDED, IdeaStatus.APPROVED].includes(idea.status)) {
        throw invalidTransition(`The idea is ${idea.status}: it takes no endorsements`);
      }
      const changed = input.endorsed
        ? ((await manager.query(
            `INSERT INTO endorsement (idea_id, employee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
            [idea.id, actor.id],
          )) as unknown[])
        : await modifiedRows(
            manager,
            `DELETE FROM endorsement WHERE idea_id = $1 AND employee_id = $2 RETURNING 1`,
            [idea.id, actor.id],
          );
      if (changed.length === 0) return idea;
      const [row] = await modifiedRows<IdeaRow>(
        manager,
        `UPDATE idea i SET endorsement_count = endorsement_count + $2 WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
        [idea.id, input.endorsed ? 1 : -1],
      );
      await this.record(
        manager,
        actor,
        input.endorsed ? 'idea.endorse' : 'idea.unendorse',
        idea.id,
      );
      return toIdea(row);
    });
  }

  /**
   * TEAM → IDEA_ESCROW. The idea row is locked, so concurrent pledges are weighed one after
   * the other; a pledge past the goal is refused whole (CONFLICT), never trimmed, and the
   * idea_pledged_within_goal constraint backs that up. Reaching the goal makes it FUNDED.
   */
  async pledge(input: PledgeToIdeaInput, actor: Actor): Promise<PledgeResult> {
    const result = await this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'pledgeToIdea',
          key: input.idempotencyKey,
          request: { ideaId: input.ideaId, teamId: input.teamId, amount: input.amount },
          remember: (done: PledgeResult) => ({ pledgeId: done.pledge.id }),
          replay: async (tx, { pledgeId }) => {
            const [pledge] = (await tx.query(
              `SELECT ${PLEDGE_COLUMNS} FROM pledge p WHERE p.id = $1`,
              [pledgeId],
            )) as PledgeRow[];
            const [transfer] = (await tx.query(
              `SELECT transfer_id AS id FROM pledge WHERE id = $1`,
              [pledgeId],
            )) as {
              id: string;
            }[];
            return {
              idea: await this.findById(input.ideaId, tx),
              pledge: toPledge(pledge),
              transfer: await this.ledger.transferById(tx.manager, transfer.id),
            };
          },
        },
      },
      async ({ manager }) => {
        const idea = await this.lockVisible(manager, input.ideaId, actor);
        if (idea.status === IdeaStatus.FUNDED)
          throw conflict('The idea is fully funded already', 'input.amount');
        if (idea.status !== IdeaStatus.SUBMITTED) {
          throw invalidTransition(`The idea is ${idea.status}: it takes no pledges`);
        }
        const missing = idea.fundingGoal - idea.pledgedTotal;
        if (input.amount > missing) {
          throw conflict(`The idea needs only ${missing} more credits`, 'input.amount');
        }
        let row: IdeaRow;
        try {
          [row] = await modifiedRows<IdeaRow>(
            manager,
            `UPDATE idea i SET pledged_total = pledged_total + $2,
                        status = CASE WHEN pledged_total + $2 = funding_goal THEN 'FUNDED' ELSE status END::idea_status,
                        funded_at = CASE WHEN pledged_total + $2 = funding_goal THEN now() ELSE funded_at END
                  WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
            [idea.id, input.amount],
          );
        } catch (error) {
          if (isConstraintViolation(error, 'idea_pledged_within_goal')) {
            throw conflict('The pledge would pass the funding goal', 'input.amount');
          }
          throw error;
        }
        const transfer = await this.ledger.transfer(manager, {
          fromAccountId: await this.ledger.accountIdOf(
            manager,
            AccountKind.TEAM,
            input.teamId,
            'input.teamId',
          ),
          toAccountId: idea.escrowAccountId,
          amount: input.amount,
          kind: TransferKind.PLEDGE,
          idempotencyKey: input.idempotencyKey,
          memo: `Pledge to "${idea.title}"`,
        });
        // Counted under the idea's row lock: concurrent pledges cannot pass the maximum.
        const [pledge] = (await manager.query(
          `INSERT INTO pledge AS p (idea_id, team_id, pledged_by_id, amount, transfer_id)
               SELECT $1::uuid, $2::uuid, $3::uuid, $4::bigint, $5::uuid
                WHERE (SELECT count(*) FROM pledge WHERE idea_id = $1) < $6
               RETURNING ${PLEDGE_COLUMNS}`,
          [idea.id, input.teamId, actor.id, input.amount, transfer.id, MAX_PLEDGES_PER_IDEA],
        )) as PledgeRow[];
        if (!pledge) {
          throw conflict(
            `The idea has ${MAX_PLEDGES_PER_IDEA} pledges already, the most it takes`,
            'input.ideaId',
          );
        }
        await this.record(manager, actor, 'idea.pledge', idea.id, {
          teamId: input.teamId,
          amount: input.amount,
          transferId: transfer.id,
          status: row.status,
        });
        return { idea: toIdea(row), pledge: toPledge(pledge), transfer };
      },
    );
    await this.changed(input.ideaId);
    return result;
  }

  /**
   * A lead of the sponsor team approves a FUNDED idea, never its own proposer: its escrow
   * becomes the budget of a new initiative, owned by the proposer, in one transaction.
   */
  async approve(input: IdeaDecisionInput, actor: Actor): Promise<ApproveResult> {
    const result = await this.decide(
      input,
      actor,
      'approveIdea',
      async (manager, idea) => {
        if (!actor.leadOf.has(idea.sponsorTeamId))
          throw forbidden("Only the sponsor team's leads approve an idea");
        if (idea.proposerId === actor.id)
          throw forbidden('Proposers cannot approve their own idea');
        if (idea.status !== IdeaStatus.FUNDED)
          throw invalidTransition(`The idea is ${idea.status}: only FUNDED ideas are approved`);
        const funders = (await manager.query(
          `SELECT team_id AS "teamId", sum(amount)::text AS amount FROM pledge WHERE idea_id = $1 GROUP BY team_id`,
          [idea.id],
        )) as { teamId: string; amount: string }[];
        const initiative = await this.initiatives.startFromIdea(manager, {
          title: idea.title,
          summary: [idea.proposal, idea.expectedOutcomes].filter(Boolean).join('\n\n'),
          ownerId: idea.proposerId,
          sponsorTeamId: idea.sponsorTeamId,
          fundedFromAccountId: idea.escrowAccountId,
          budget: idea.pledgedTotal,
          funders: funders.map((f) => ({ teamId: f.teamId, amount: Number(f.amount) })),
          actorId: actor.id,
        });
        const [row] = await modifiedRows<IdeaRow>(
          manager,
          `UPDATE idea i SET status = 'APPROVED', decided_at = now(), initiative_id = $2 WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
          [idea.id, initiative.id],
        );
        await this.record(manager, actor, 'idea.approve', idea.id, {
          initiativeId: initiative.id,
          budget: initiative.budget,
        });
        return { idea: toIdea(row), initiative };
      },
      {
        remember: (done) => ({ initiativeId: done.initiative.id }),
        replay: async ({ initiativeId }, db) => ({
          idea: await this.findById(input.ideaId, db),
          initiative: await this.initiatives.findById(initiativeId as string, 'id', db),
        }),
      },
    );
    await this.initiatives.announce(result.initiative.id);
    return result;
  }

  /** A lead of the sponsor team turns it down; every pledge goes back to the team that made it. */
  reject(input: RejectIdeaInput, actor: Actor): Promise<RefundResult> {
    return this.decide(
      input,
      actor,
      'rejectIdea',
      async (manager, idea) => {
        if (!actor.leadOf.has(idea.sponsorTeamId))
          throw forbidden("Only the sponsor team's leads reject an idea");
        if (idea.status !== IdeaStatus.SUBMITTED && idea.status !== IdeaStatus.FUNDED) {
          throw invalidTransition(`The idea is ${idea.status}: it cannot be rejected`);
        }
        return this.close(manager, actor, idea, IdeaStatus.REJECTED, input.reason);
      },
      this.refundReplay(input.ideaId),
    );
  }

  /** The proposer takes it back before approval; every pledge goes back to the team that made it. */
  withdraw(input: IdeaDecisionInput, actor: Actor): Promise<RefundResult> {
    return this.decide(
      input,
      actor,
      'withdrawIdea',
      async (manager, idea) => {
        if (idea.proposerId !== actor.id) throw forbidden('Only the proposer withdraws an idea');
        if (![IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.FUNDED].includes(idea.status)) {
          throw invalidTransition(`The idea is ${idea.status}: it cannot be withdrawn`);
        }
        return this.close(manager, actor, idea, IdeaStatus.WITHDRAWN, null);
      },
      this.refundReplay(input.ideaId),
    );
  }

  private async linkSkills(
    manager: EntityManager,
    ideaId: string,
    skills: { id: string }[],
  ): Promise<void> {
    if (skills.length === 0) return;
    await manager.query(
      `INSERT INTO idea_skill (idea_id, skill_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ideaId, skills.map((skill) => skill.id)],
    );
  }

  private refundReplay(ideaId: string) {
    return {
      remember: (done: RefundResult) => ({ refundTransferIds: done.refunds.map((t) => t.id) }),
      replay: async ({ refundTransferIds }: Record<string, unknown>, db: Db) => ({
        idea: await this.findById(ideaId, db),
        refunds: await Promise.all(
          (refundTransferIds as string[]).map((id) => this.ledger.transferById(db, id)),
        ),
      }),
    };
  }

  private async close(
    manager: EntityManager,
    actor: Actor,
    idea: Idea,
    status: IdeaStatus.REJECTED | IdeaStatus.WITHDRAWN,
    reason: string | null,
  ): Promise<RefundResult> {
    const pledges = (await manager.query(
      `SELECT p.team_id AS "teamId", p.amount::text AS amount, a.id AS "accountId"
         FROM pledge p JOIN account a ON a.kind = 'TEAM' AND a.owner_id = p.team_id
        WHERE p.idea_id = $1 ORDER BY p.seq`,
      [idea.id],
    )) as { teamId: string; amount: string; accountId: string }[];
    const refunds: TransferEntity[] = [];
    for (const pledge of pledges) {
      refunds.push(
        await this.ledger.transfer(manager, {
          fromAccountId: idea.escrowAccountId,
          toAccountId: pledge.accountId,
          amount: Number(pledge.amount),
          kind: TransferKind.PLEDGE_REFUND,
          memo: `Pledge back from "${idea.title}"`,
        }),
      );
    }
    const [row] = await modifiedRows<IdeaRow>(
      manager,
      `UPDATE idea i SET status = $2, decided_at = now(), decision_reason = $3 WHERE id = $1 RETURNING ${IDEA_COLUMNS}`,
      [idea.id, status, reason],
    );
    await this.record(
      manager,
      actor,
      status === IdeaStatus.REJECTED ? 'idea.reject' : 'idea.withdraw',
      idea.id,
      {
        reason,
        refunded: refunds.reduce((sum, t) => sum + t.amount, 0),
      },
    );
    return { idea: toIdea(row), refunds };
  }

  /** A decision (money may move): idempotent, in one transaction on the locked idea, announced after commit. */
  private async decide<T>(
    input: IdeaDecisionInput,
    actor: Actor,
    operation: string,
    work: (manager: EntityManager, idea: Idea) => Promise<T>,
    memory: {
      remember: (result: T) => Record<string, unknown>;
      replay: (remembered: Record<string, unknown>, db: Db) => Promise<T>;
    },
  ): Promise<T> {
    const result = await this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation,
          key: input.idempotencyKey,
          request: { ...input, idempotencyKey: undefined },
          remember: memory.remember,
          replay: (tx, remembered) => memory.replay(remembered, tx),
        },
      },
      async ({ manager }) => work(manager, await this.lockVisible(manager, input.ideaId, actor)),
    );
    await this.changed(input.ideaId);
    return result;
  }

  /** A change without money: one transaction on the locked idea, announced after commit. */
  private async change(
    ideaId: string,
    actor: Actor,
    work: (manager: EntityManager, idea: Idea) => Promise<Idea>,
  ): Promise<Idea> {
    const idea = await this.transactions.run(async (manager) =>
      work(manager, await this.lockVisible(manager, ideaId, actor)),
    );
    await this.changed(ideaId);
    return idea;
  }

  private record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    ideaId: string,
    payload: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(manager, {
      actorId: actor.id,
      action,
      subjectType: 'Idea',
      subjectId: ideaId,
      payload,
    });
  }

  private async changed(ideaId: string): Promise<void> {
    await this.pubSub.publish(ideaChangedTopic(ideaId), { ideaId } satisfies IdeaChangedEvent);
  }

  /** The idea locked for update; someone else's draft does not exist as far as the actor knows. */
  private async lockVisible(manager: EntityManager, ideaId: string, actor: Actor): Promise<Idea> {
    const [row] = (await manager.query(
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = $1 FOR UPDATE`,
      [ideaId],
    )) as IdeaRow[];
    if (!row || !isVisibleIdea(row, actor)) throw notFound('Idea', 'input.ideaId');
    return toIdea(row);
  }

  async findById(id: string, db: Db = this.dataSource): Promise<Idea> {
    const [row] = (await db.query(`SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = $1`, [
      id,
    ])) as IdeaRow[];
    if (!row) throw notFound('Idea');
    return toIdea(row);
  }

  async findVisible(id: string, actor: Actor, field = 'id'): Promise<Idea> {
    const [row] = (await this.dataSource.query(
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = $1`,
      [id],
    )) as IdeaRow[];
    if (!row || !isVisibleIdea(row, actor)) throw notFound('Idea', field);
    return toIdea(row);
  }

  list(
    actor: Actor,
    filter: IdeaFilter | undefined,
    sort: IdeaSort,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Idea>> {
    const params = new SqlParams();
    const where = [visibleSql(actor, params)];
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
    return keysetPage<IdeaRow, Idea>((sql, p) => this.dataSource.query(sql, p), {
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
   * Ideas that look like this one, so duplicates show before anyone funds both: titles close
   * by trigram similarity (idea_title_trgm_idx), or any word of the title found in another
   * idea's text (idea_search_idx). Others' drafts stay hidden.
   */
  async similar(idea: Idea, actor: Actor, first: number): Promise<SimilarIdea[]> {
    const params = new SqlParams();
    const id = params.add(idea.id);
    const title = params.add(idea.title);
    const rows = (await this.dataSource.query(
      `WITH q AS (
         SELECT nullif(replace(plainto_tsquery('english', ${title})::text, '&', '|'), '')::tsquery AS words
       )
       SELECT i.id AS "ideaId",
              round(greatest(similarity(i.title, ${title}), coalesce(ts_rank(${SEARCH_DOCUMENT}, q.words, 32), 0))::numeric, 3)::float8 AS similarity
         FROM idea i CROSS JOIN q
        WHERE i.id <> ${id} AND ${visibleSql(actor, params)}
          AND (i.title % ${title} OR ${SEARCH_DOCUMENT} @@ q.words)
        ORDER BY similarity DESC, i.seq DESC
        LIMIT ${params.add(first)}`,
      params.values,
    )) as SimilarIdea[];
    return rows;
  }

  readonly byId = new BatchLoader<string, Idea | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.id = ANY($1)`,
      [[...ids]],
    )) as IdeaRow[];
    return byKey(ids, rows.map(toIdea), (idea) => idea.id);
  });

  readonly byInitiative = new BatchLoader<string, Idea | null>(async (initiativeIds) => {
    const rows = (await this.dataSource.query(
      `SELECT ${IDEA_COLUMNS} FROM idea i WHERE i.initiative_id = ANY($1)`,
      [[...initiativeIds]],
    )) as IdeaRow[];
    return byKey(initiativeIds, rows.map(toIdea), (idea) => idea.initiativeId!);
  });

  /** Oldest first. */
  readonly pledges = new BatchLoader<string, Pledge[]>(async (ideaIds) => {
    const rows = (await this.dataSource.query(
      `SELECT ${PLEDGE_COLUMNS} FROM pledge p WHERE p.idea_id = ANY($1) ORDER BY p.seq`,
      [[...ideaIds]],
    )) as PledgeRow[];
    return groupedByKey(ideaIds, rows.map(toPledge), (p) => p.ideaId);
  });

  readonly skillIds = new BatchLoader<string, string[]>(async (ideaIds) => {
    const rows = (await this.dataSource.query(
      `SELECT s.idea_id AS "ideaId", s.skill_id AS "skillId" FROM idea_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.idea_id = ANY($1) ORDER BY k.normalized_name`,
      [[...ideaIds]],
    )) as { ideaId: string; skillId: string }[];
    return groupedByKey(ideaIds, rows, (r) => r.ideaId).map((group) => group.map((r) => r.skillId));
  });

  /** Key: `${ideaId}:${employeeId}`. */
  readonly endorsedBy = new BatchLoader<string, boolean>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const rows = (await this.dataSource.query(
      `SELECT e.idea_id || ':' || e.employee_id AS key FROM endorsement e
        WHERE (e.idea_id, e.employee_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
      [pairs.map(([idea]) => idea), pairs.map(([, employee]) => employee)],
    )) as { key: string }[];
    const found = new Set(rows.map((r) => r.key));
    return keys.map((key) => found.has(key));
  });
}
