import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { splitProRata } from '../../common/money/pro-rata.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { modifiedRows, type Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { CapacityService } from '../employee/capacity.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { TransferEntity } from '../ledger/transfer.entity.js';
import type {
  AddMilestoneInput,
  DefineOutcomeMetricInput,
  FinishInitiativeInput,
  InitiativeFilter,
  JoinInitiativeInput,
  RecordMeasurementInput,
} from './dto/initiative.inputs.js';
import { InitiativeEndingHooks } from './initiative-ending.js';
import {
  MAX_INITIATIVE_MEMBERS,
  MAX_METRICS_PER_INITIATIVE,
  MAX_MILESTONES_PER_INITIATIVE,
  SPARKLINE_POINTS,
} from './initiative-limits.js';
import { canCancel, isOwner, isParticipant } from './initiative-policy.js';
import { InitiativeStatus } from './initiative.enums.js';
import { targetPointsTheRightWay } from './metric-progress.js';
import type {
  Initiative,
  InitiativeFunder,
  InitiativeMember,
  Measurement,
  Milestone,
  OutcomeMetric,
} from './models/initiative.models.js';

const INITIATIVE_COLUMNS = `i.id, i.seq, i.owner_id AS "ownerId", i.sponsor_team_id AS "sponsorTeamId",
  i.account_id AS "accountId", i.title, i.summary, i.budget, i.spent, i.outcome_score AS "outcomeScore",
  i.status, i.created_at AS "startedAt",
  i.finished_at AS "finishedAt", i.finish_note AS "finishNote"`;
const MILESTONE_COLUMNS = `id, initiative_id AS "initiativeId", title, to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
  completed_at AS "completedAt", completed_by_id AS "completedById", created_at AS "createdAt"`;
const METRIC_COLUMNS = `id, initiative_id AS "initiativeId", name, unit, baseline, target, direction,
  latest_value AS "latestValue", latest_at AS "latestAt", created_at AS "createdAt"`;
const MEASUREMENT_COLUMNS = `m.id, m.metric_id AS "metricId", m.value, m.at, m.recorded_by_id AS "recordedById",
  to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "atCursor"`;

type InitiativeRow = Omit<Initiative, 'seq' | 'budget' | 'spent'> &
  Record<'seq' | 'budget' | 'spent', string>;
const toInitiative = (row: InitiativeRow): Initiative => ({
  ...row,
  seq: Number(row.seq),
  budget: Number(row.budget),
  spent: Number(row.spent),
});

export const initiativeChangedTopic = (initiativeId: string): string =>
  `initiativeChanged:${initiativeId}`;

export interface InitiativeChangedEvent {
  initiativeId: string;
}

export interface NewInitiative {
  title: string;
  summary: string;
  ownerId: string;
  sponsorTeamId: string;
  /** The idea's escrow, emptied into the initiative's account. */
  fundedFromAccountId: string;
  budget: number;
  /** Who paid, and how much: unspent credits go back in these proportions. */
  funders: { teamId: string; amount: number }[];
  actorId: string;
}

export interface FinishResult {
  initiative: Initiative;
  refunds: TransferEntity[];
}

/** Initiatives: their people, milestones, outcome metrics and money. */
@Injectable()
export class InitiativeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly capacity: CapacityService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly endingHooks: InitiativeEndingHooks,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /**
   * Starts an initiative inside the approving transaction: its own account, funded with
   * everything in the idea's escrow; the owner is its first member (with no hours yet).
   */
  async startFromIdea(manager: EntityManager, start: NewInitiative): Promise<Initiative> {
    const id = randomUUID();
    const account = await this.ledger.openAccount(manager, AccountKind.INITIATIVE, id);
    const [row] = (await manager.query(
      `INSERT INTO initiative AS i (id, owner_id, sponsor_team_id, account_id, title, summary, budget)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${INITIATIVE_COLUMNS}`,
      [
        id,
        start.ownerId,
        start.sponsorTeamId,
        account.id,
        start.title,
        start.summary,
        start.budget,
      ],
    )) as InitiativeRow[];
    await manager.query(
      `INSERT INTO initiative_funder (initiative_id, team_id, amount) SELECT $1, * FROM unnest($2::uuid[], $3::bigint[])`,
      [id, start.funders.map((f) => f.teamId), start.funders.map((f) => f.amount)],
    );
    await this.ledger.transfer(manager, {
      fromAccountId: start.fundedFromAccountId,
      toAccountId: account.id,
      amount: start.budget,
      kind: TransferKind.INITIATIVE_FUNDING,
      memo: `Budget of "${start.title}"`,
    });
    await manager.query(
      `INSERT INTO initiative_member (initiative_id, employee_id, hours_per_week) VALUES ($1, $2, 0)`,
      [id, start.ownerId],
    );
    await this.audit.record(manager, {
      actorId: start.actorId,
      action: 'initiative.start',
      subjectType: 'Initiative',
      subjectId: id,
      payload: {
        title: start.title,
        ownerId: start.ownerId,
        budget: start.budget,
        funders: start.funders,
      },
    });
    return toInitiative(row);
  }

  /**
   * Joins, or changes one's hours; the hours count against weekly capacity like market work.
   * Joins are counted one at a time under the initiative's row lock, so it never passes its
   * maximum of members.
   */
  async join(input: JoinInitiativeInput, actor: Actor): Promise<InitiativeMember> {
    const member = await this.transactions.run(async (manager) => {
      const initiative = await this.lock(
        manager,
        input.initiativeId,
        'NO KEY UPDATE',
        'input.initiativeId',
      );
      this.assertActive(initiative);
      const [current] = (await manager.query(
        `SELECT hours_per_week AS "hoursPerWeek" FROM initiative_member
          WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL FOR UPDATE`,
        [initiative.id, actor.id],
      )) as { hoursPerWeek: number }[];
      const delta = input.hoursPerWeek - (current?.hoursPerWeek ?? 0);
      if (delta > 0) await this.capacity.commit(manager, actor.id, delta);
      if (delta < 0) await this.capacity.release(manager, actor.id, -delta);
      const returning = `RETURNING initiative_id AS "initiativeId", employee_id AS "employeeId",
        hours_per_week AS "hoursPerWeek", joined_at AS "joinedAt"`;
      const [joined] = current
        ? await modifiedRows<InitiativeMember>(
            manager,
            `UPDATE initiative_member SET hours_per_week = $3
              WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL ${returning}`,
            [initiative.id, actor.id, input.hoursPerWeek],
          )
        : ((await manager.query(
            `INSERT INTO initiative_member (initiative_id, employee_id, hours_per_week)
             SELECT $1::uuid, $2::uuid, $3::smallint
              WHERE (SELECT count(*) FROM initiative_member WHERE initiative_id = $1 AND left_at IS NULL) < $4
             ${returning}`,
            [initiative.id, actor.id, input.hoursPerWeek, MAX_INITIATIVE_MEMBERS],
          )) as InitiativeMember[]);
      if (!joined) {
        throw conflict(
          `The initiative has ${MAX_INITIATIVE_MEMBERS} members already, the most it takes`,
          'input.initiativeId',
        );
      }
      await this.audit.record(manager, {
        actorId: actor.id,
        action: current ? 'initiative.changeHours' : 'initiative.join',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { hoursPerWeek: input.hoursPerWeek },
      });
      return joined;
    });
    await this.announce(input.initiativeId);
    return member;
  }

  async leave(initiativeId: string, actor: Actor): Promise<Initiative> {
    const initiative = await this.transactions.run(async (manager) => {
      const initiative = await this.lock(manager, initiativeId, 'SHARE', 'input.initiativeId');
      const [left] = await modifiedRows<{ hoursPerWeek: number }>(
        manager,
        `UPDATE initiative_member SET left_at = now()
          WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL
          RETURNING hours_per_week AS "hoursPerWeek"`,
        [initiative.id, actor.id],
      );
      if (!left) throw invalidTransition('You are not a member of this initiative');
      await this.capacity.release(manager, actor.id, left.hoursPerWeek);
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'initiative.leave',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { hoursPerWeek: left.hoursPerWeek },
      });
      return initiative;
    });
    await this.announce(initiativeId);
    return initiative;
  }

  /** Milestones are counted under the initiative's row lock: it never passes its maximum. */
  async addMilestone(input: AddMilestoneInput, actor: Actor): Promise<Milestone> {
    const milestone = await this.transactions.run(async (manager) => {
      const initiative = await this.lock(
        manager,
        input.initiativeId,
        'NO KEY UPDATE',
        'input.initiativeId',
      );
      if (!isParticipant(actor, initiative))
        throw forbidden("Only the initiative's owner and members plan it");
      this.assertActive(initiative);
      const [row] = (await manager.query(
        `INSERT INTO milestone (initiative_id, title, due_date)
         SELECT $1::uuid, $2::varchar, $3::date
          WHERE (SELECT count(*) FROM milestone WHERE initiative_id = $1) < $4
         RETURNING ${MILESTONE_COLUMNS}`,
        [initiative.id, input.title, input.dueDate ?? null, MAX_MILESTONES_PER_INITIATIVE],
      )) as Milestone[];
      if (!row) {
        throw conflict(
          `The initiative has ${MAX_MILESTONES_PER_INITIATIVE} milestones already, the most it takes`,
          'input.initiativeId',
        );
      }
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'initiative.addMilestone',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { milestoneId: row.id, title: input.title, dueDate: input.dueDate ?? null },
      });
      return row;
    });
    await this.announce(input.initiativeId);
    return milestone;
  }

  async completeMilestone(milestoneId: string, actor: Actor): Promise<Milestone> {
    const milestone = await this.transactions.run(async (manager) => {
      const [found] = (await manager.query(
        `SELECT initiative_id AS "initiativeId" FROM milestone WHERE id = $1`,
        [milestoneId],
      )) as { initiativeId: string }[];
      if (!found) throw notFound('Milestone', 'input.milestoneId');
      const initiative = await this.lock(manager, found.initiativeId, 'SHARE');
      if (!isParticipant(actor, initiative))
        throw forbidden("Only the initiative's owner and members complete milestones");
      this.assertActive(initiative);
      const [row] = await modifiedRows<Milestone>(
        manager,
        `UPDATE milestone SET completed_at = now(), completed_by_id = $2
          WHERE id = $1 AND completed_at IS NULL RETURNING ${MILESTONE_COLUMNS}`,
        [milestoneId, actor.id],
      );
      if (!row) throw invalidTransition('The milestone is already complete');
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'initiative.completeMilestone',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { milestoneId },
      });
      return row;
    });
    await this.announce(milestone.initiativeId);
    return milestone;
  }

  async defineMetric(input: DefineOutcomeMetricInput, actor: Actor): Promise<OutcomeMetric> {
    if (!targetPointsTheRightWay(input)) {
      throw badInput(
        'input.target',
        `input.target: with ${input.direction} the target must be ${
          input.direction === 'HIGHER_IS_BETTER' ? 'above' : 'below'
        } the baseline`,
      );
    }
    const metric = await this.transactions.run(async (manager) => {
      // Metrics are counted under the row lock: the initiative never passes its maximum.
      const initiative = await this.lock(
        manager,
        input.initiativeId,
        'NO KEY UPDATE',
        'input.initiativeId',
      );
      if (!isOwner(actor, initiative))
        throw forbidden("Only the initiative's owner defines its outcome metrics");
      this.assertActive(initiative);
      let row: OutcomeMetric | undefined;
      try {
        [row] = (await manager.query(
          `INSERT INTO outcome_metric (initiative_id, name, unit, baseline, target, direction)
           SELECT $1::uuid, $2::varchar, $3::varchar, $4::float8, $5::float8, $6::metric_direction
            WHERE (SELECT count(*) FROM outcome_metric WHERE initiative_id = $1) < $7
           RETURNING ${METRIC_COLUMNS}`,
          [
            initiative.id,
            input.name,
            input.unit,
            input.baseline,
            input.target,
            input.direction,
            MAX_METRICS_PER_INITIATIVE,
          ],
        )) as OutcomeMetric[];
      } catch (error) {
        if (isConstraintViolation(error, 'outcome_metric_name_key')) {
          throw conflict(`The initiative already has a metric named "${input.name}"`, 'input.name');
        }
        throw error;
      }
      if (!row) {
        throw conflict(
          `The initiative has ${MAX_METRICS_PER_INITIATIVE} outcome metrics already, the most it takes`,
          'input.initiativeId',
        );
      }
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'initiative.defineMetric',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { metricId: row.id, ...input },
      });
      return row;
    });
    await this.announce(input.initiativeId);
    return metric;
  }

  async recordMeasurement(input: RecordMeasurementInput, actor: Actor): Promise<Measurement> {
    const at = input.at ?? new Date();
    if (at.getTime() > Date.now() + 24 * 60 * 60 * 1000) {
      throw badInput('input.at', 'input.at: a measurement cannot be in the future');
    }
    const measurement = await this.transactions.run(async (manager) => {
      const [metric] = (await manager.query(
        `SELECT initiative_id AS "initiativeId" FROM outcome_metric WHERE id = $1`,
        [input.metricId],
      )) as { initiativeId: string }[];
      if (!metric) throw notFound('Outcome metric', 'input.metricId');
      const initiative = await this.lock(manager, metric.initiativeId, 'SHARE');
      if (!isParticipant(actor, initiative))
        throw forbidden("Only the initiative's members record its measurements");
      if (initiative.status === InitiativeStatus.CANCELLED) {
        throw invalidTransition('The initiative was cancelled: no more measurements');
      }
      const [row] = (await manager.query(
        `WITH m AS (
           INSERT INTO measurement (metric_id, value, at, recorded_by_id) VALUES ($1, $2, $3, $4) RETURNING *
         )
         SELECT ${MEASUREMENT_COLUMNS} FROM m`,
        [input.metricId, input.value, at, actor.id],
      )) as Measurement[];
      // The metric's latest value and the initiative's outcome score, kept for dashboards.
      await manager.query(
        `UPDATE outcome_metric SET latest_value = $2, latest_at = $3
          WHERE id = $1 AND (latest_at IS NULL OR latest_at <= $3)`,
        [input.metricId, input.value, at],
      );
      await manager.query(
        `UPDATE initiative SET outcome_score = (
           SELECT avg(least(1, greatest(0, (latest_value - baseline) / (target - baseline))) * 100)
             FROM outcome_metric WHERE initiative_id = $1 AND latest_value IS NOT NULL)
          WHERE id = $1`,
        [initiative.id],
      );
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'initiative.recordMeasurement',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { metricId: input.metricId, value: input.value, at: at.toISOString() },
      });
      return { measurement: row, initiativeId: initiative.id };
    });
    await this.announce(measurement.initiativeId);
    return measurement.measurement;
  }

  /**
   * Completes (owner) or cancels (owner or sponsor lead) an initiative: its needs are closed,
   * members' hours are freed, and whatever is left in its account goes back to the funding
   * teams in proportion to what they pledged, split so that the credits add up exactly.
   */
  async finish(
    input: FinishInitiativeInput,
    actor: Actor,
    outcome: InitiativeStatus,
  ): Promise<FinishResult> {
    const operation =
      outcome === InitiativeStatus.COMPLETED ? 'completeInitiative' : 'cancelInitiative';
    const result = await this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation,
          key: input.idempotencyKey,
          request: { initiativeId: input.initiativeId, note: input.note ?? null },
          remember: (done: FinishResult) => ({ refundTransferIds: done.refunds.map((t) => t.id) }),
          replay: async (tx, { refundTransferIds }) => ({
            initiative: await this.findById(input.initiativeId, 'id', tx),
            refunds: await Promise.all(
              refundTransferIds.map((id) => this.ledger.transferById(tx, id)),
            ),
          }),
        },
      },
      async ({ manager }) => {
        const initiative = await this.lock(
          manager,
          input.initiativeId,
          'UPDATE',
          'input.initiativeId',
        );
        const allowed =
          outcome === InitiativeStatus.COMPLETED
            ? isOwner(actor, initiative)
            : canCancel(actor, initiative);
        if (!allowed) {
          throw forbidden(
            outcome === InitiativeStatus.COMPLETED
              ? "Only the initiative's owner completes it"
              : "Only the initiative's owner or its sponsor team's leads cancel it",
          );
        }
        this.assertActive(initiative);
        await this.endingHooks.run(manager, initiative, actor.id);
        const members = await modifiedRows<{ employeeId: string; hoursPerWeek: number }>(
          manager,
          `UPDATE initiative_member SET left_at = now() WHERE initiative_id = $1 AND left_at IS NULL
               RETURNING employee_id AS "employeeId", hours_per_week AS "hoursPerWeek"`,
          [initiative.id],
        );
        for (const member of members) {
          if (member.hoursPerWeek > 0)
            await this.capacity.release(manager, member.employeeId, member.hoursPerWeek);
        }
        const refunds = await this.refundFunders(manager, initiative);
        const [row] = await modifiedRows<InitiativeRow>(
          manager,
          `UPDATE initiative i SET status = $2, finished_at = now(), finish_note = $3
                WHERE id = $1 RETURNING ${INITIATIVE_COLUMNS}`,
          [initiative.id, outcome, input.note ?? null],
        );
        await this.audit.record(manager, {
          actorId: actor.id,
          action:
            outcome === InitiativeStatus.COMPLETED ? 'initiative.complete' : 'initiative.cancel',
          subjectType: 'Initiative',
          subjectId: initiative.id,
          payload: {
            note: input.note ?? null,
            refunded: refunds.reduce((sum, t) => sum + t.amount, 0),
            refunds: refunds.map((t) => ({ transferId: t.id, amount: t.amount })),
            membersReleased: members.length,
          },
        });
        return { initiative: toInitiative(row), refunds };
      },
    );
    await this.announce(input.initiativeId);
    return result;
  }

  private async refundFunders(
    manager: EntityManager,
    initiative: Initiative,
  ): Promise<TransferEntity[]> {
    const balance = await this.ledger.lockBalance(manager, initiative.accountId);
    const funders = (await manager.query(
      `SELECT f.team_id AS "teamId", f.amount::text AS amount, a.id AS "accountId"
         FROM initiative_funder f JOIN account a ON a.kind = 'TEAM' AND a.owner_id = f.team_id
        WHERE f.initiative_id = $1 ORDER BY f.amount DESC, f.team_id`,
      [initiative.id],
    )) as { teamId: string; amount: string; accountId: string }[];
    const shares = splitProRata(
      Number(balance),
      funders.map((f) => ({ key: f.accountId, weight: Number(f.amount) })),
    );
    const refunds: TransferEntity[] = [];
    for (const [accountId, amount] of shares) {
      if (amount === 0) continue;
      refunds.push(
        await this.ledger.transfer(manager, {
          fromAccountId: initiative.accountId,
          toAccountId: accountId,
          amount,
          kind: TransferKind.INITIATIVE_REFUND,
          memo: `Unspent budget of "${initiative.title}"`,
        }),
      );
    }
    return refunds;
  }

  /** Keeps `spent` with each escrow deposit (positive) or return (negative) of its needs. */
  async addSpending(manager: EntityManager, initiativeId: string, credits: number): Promise<void> {
    await manager.query(`UPDATE initiative SET spent = spent + $2 WHERE id = $1`, [
      initiativeId,
      credits,
    ]);
  }

  private assertActive(initiative: Initiative): void {
    if (initiative.status !== InitiativeStatus.ACTIVE) {
      throw invalidTransition(`The initiative is ${initiative.status}`);
    }
  }

  /** Tells initiativeChanged subscribers; call after the change has committed. */
  async announce(initiativeId: string): Promise<void> {
    await this.pubSub.publish(initiativeChangedTopic(initiativeId), {
      initiativeId,
    } satisfies InitiativeChangedEvent);
  }

  /**
   * The initiative, row-locked for the rest of the transaction. NO KEY UPDATE serializes
   * additions that are counted against a maximum without blocking the foreign-key checks of
   * rows that refer to the initiative.
   */
  async lock(
    manager: EntityManager,
    id: string,
    mode: 'SHARE' | 'NO KEY UPDATE' | 'UPDATE',
    field = 'initiativeId',
  ): Promise<Initiative> {
    const [row] = (await manager.query(
      `SELECT ${INITIATIVE_COLUMNS} FROM initiative i WHERE i.id = $1 FOR ${mode}`,
      [id],
    )) as InitiativeRow[];
    if (!row) throw notFound('Initiative', field);
    return toInitiative(row);
  }

  /** For buying on the market: the active initiative the actor owns, locked against finishing meanwhile. */
  async lockForBuying(
    manager: EntityManager,
    id: string,
    actor: Actor,
    field: string,
  ): Promise<Initiative> {
    const initiative = await this.lock(manager, id, 'SHARE', field);
    if (!isOwner(actor, initiative))
      throw forbidden("Only the initiative's owner buys with its budget");
    this.assertActive(initiative);
    return initiative;
  }

  async findById(id: string, field = 'id', db: Db = this.dataSource): Promise<Initiative> {
    const [row] = (await db.query(
      `SELECT ${INITIATIVE_COLUMNS} FROM initiative i WHERE i.id = $1`,
      [id],
    )) as InitiativeRow[];
    if (!row) throw notFound('Initiative', field);
    return toInitiative(row);
  }

  /** Newest first. */
  list(
    filter: InitiativeFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Initiative>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter?.status) where.push(`i.status = ${params.add(filter.status)}`);
    if (filter?.sponsorTeamId)
      where.push(`i.sponsor_team_id = ${params.add(filter.sponsorTeamId)}`);
    if (filter?.participantId) {
      const person = params.add(filter.participantId);
      where.push(
        `(i.owner_id = ${person} OR EXISTS (SELECT 1 FROM initiative_member m
            WHERE m.initiative_id = i.id AND m.employee_id = ${person} AND m.left_at IS NULL))`,
      );
    }
    return keysetPage<InitiativeRow, Initiative>((sql, p) => this.dataSource.query(sql, p), {
      select: INITIATIVE_COLUMNS,
      from: 'initiative i',
      where,
      params,
      orderBy: [{ sql: 'i.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (initiative) => [initiative.seq],
      map: toInitiative,
      first,
      after,
    });
  }

  readonly byId = new BatchLoader<string, Initiative | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${INITIATIVE_COLUMNS} FROM initiative i WHERE i.id = ANY($1)`,
      [[...ids]],
    )) as InitiativeRow[];
    return byKey(ids, rows.map(toInitiative), (i) => i.id);
  });

  /** Active members, by hours given (most first). */
  readonly members = new BatchLoader<string, InitiativeMember[]>(async (initiativeIds) => {
    const rows = (await this.dataSource.query(
      `SELECT initiative_id AS "initiativeId", employee_id AS "employeeId", hours_per_week AS "hoursPerWeek",
              joined_at AS "joinedAt"
         FROM initiative_member WHERE initiative_id = ANY($1) AND left_at IS NULL
        ORDER BY hours_per_week DESC, joined_at`,
      [[...initiativeIds]],
    )) as InitiativeMember[];
    return groupedByKey(initiativeIds, rows, (m) => m.initiativeId);
  });

  readonly funders = new BatchLoader<string, InitiativeFunder[]>(async (initiativeIds) => {
    const rows = (await this.dataSource.query(
      `SELECT initiative_id AS "initiativeId", team_id AS "teamId", amount::text AS amount
         FROM initiative_funder WHERE initiative_id = ANY($1) ORDER BY amount DESC, team_id`,
      [[...initiativeIds]],
    )) as (Omit<InitiativeFunder, 'amount'> & { amount: string })[];
    return groupedByKey(
      initiativeIds,
      rows.map((r) => ({ ...r, amount: Number(r.amount) })),
      (f) => f.initiativeId,
    );
  });

  readonly milestones = new BatchLoader<string, Milestone[]>(async (initiativeIds) => {
    const rows = (await this.dataSource.query(
      `SELECT ${MILESTONE_COLUMNS} FROM milestone WHERE initiative_id = ANY($1) ORDER BY seq`,
      [[...initiativeIds]],
    )) as Milestone[];
    return groupedByKey(initiativeIds, rows, (m) => m.initiativeId);
  });

  readonly metrics = new BatchLoader<string, OutcomeMetric[]>(async (initiativeIds) => {
    const rows = (await this.dataSource.query(
      `SELECT ${METRIC_COLUMNS} FROM outcome_metric WHERE initiative_id = ANY($1) ORDER BY seq`,
      [[...initiativeIds]],
    )) as OutcomeMetric[];
    return groupedByKey(initiativeIds, rows, (m) => m.initiativeId);
  });

  /** Each metric's most recent measurement (by when it was true). */
  readonly latestMeasurement = new BatchLoader<string, Measurement | null>(async (metricIds) => {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (m.metric_id) ${MEASUREMENT_COLUMNS}
         FROM measurement m WHERE m.metric_id = ANY($1) ORDER BY m.metric_id, m.at DESC, m.id DESC`,
      [[...metricIds]],
    )) as Measurement[];
    return byKey(metricIds, rows, (m) => m.metricId);
  });

  /** Each metric's latest `count` values, oldest first: for sparklines. */
  readonly recentValues = new BatchLoader<string, number[]>(async (metricIds) => {
    const rows = (await this.dataSource.query(
      `SELECT metric_id AS "metricId", value FROM (
         SELECT metric_id, value, at, id,
                row_number() OVER (PARTITION BY metric_id ORDER BY at DESC, id DESC) AS recency
           FROM measurement WHERE metric_id = ANY($1)
       ) recent WHERE recency <= ${SPARKLINE_POINTS} ORDER BY metric_id, at, id`,
      [[...metricIds]],
    )) as { metricId: string; value: number }[];
    return groupedByKey(metricIds, rows, (r) => r.metricId).map((group) =>
      group.map((r) => r.value),
    );
  });

  /** A metric's time series, oldest first. */
  measurements(
    metricId: string,
    first: number,
    after?: string,
    since?: Date,
  ): Promise<ConnectionResult<Measurement>> {
    const params = new SqlParams();
    const where = [`m.metric_id = ${params.add(metricId)}`];
    if (since) where.push(`m.at >= ${params.add(since)}`);
    return keysetPage<Measurement & { atCursor: string }>(
      (sql, p) => this.dataSource.query(sql, p),
      {
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
      },
    );
  }
}
