import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { modifiedRows, type Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { CapacityService } from '../employee/capacity.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { TransferEntity } from '../ledger/transfer.entity.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import type { NeedFilter } from './dto/needs.args.js';
import type { CloseNeedInput } from './dto/market-actions.input.js';
import type { PostNeedInput } from './dto/post-need.input.js';
import { actsForBuyer } from './market-policy.js';
import { BuyerKind, NeedStatus } from './market.enums.js';
import type { Need, RequiredSkill } from './models/market.models.js';

export const NEED_COLUMNS = `n.id, n.seq, n.buyer_kind AS "buyerKind", n.buyer_id AS "buyerId",
  n.buyer_account_id AS "buyerAccountId", n.escrow_account_id AS "escrowAccountId",
  n.posted_by_id AS "postedById", n.title, n.description, n.hours_per_week AS "hoursPerWeek", n.weeks,
  n.rate_per_hour AS "ratePerHour", n.accepted_hours_per_week AS "acceptedHoursPerWeek", n.status,
  n.created_at AS "createdAt", n.filled_at AS "filledAt", n.closed_at AS "closedAt"`;

/** The same expression as the need_search_idx index, so full-text search can use it. */
const SEARCH_DOCUMENT = `to_tsvector('english', n.title || ' ' || n.description)`;

export type NeedRow = Omit<Need, 'seq'> & { seq: string | number };
export const toNeed = (row: NeedRow): Need => ({ ...row, seq: Number(row.seq) });

export interface CloseNeedResult {
  need: Need;
  refund: TransferEntity | null;
}

/** Needs: posting, closing and reading them. */
@Injectable()
export class NeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly skills: SkillService,
    private readonly capacity: CapacityService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly initiatives: InitiativeService,
  ) {}

  /**
   * A new OPEN need with its own (empty) escrow account, bought by a team (posted by one of its
   * leads) or an initiative (posted by its owner, paid from its budget).
   */
  async post(input: PostNeedInput, actor: Actor): Promise<Need> {
    const names = input.requiredSkills.map((s) => normalizeSkillName(s.name));
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        const field = `input.requiredSkills.${index}.name`;
        throw badInput(field, `${field}: "${input.requiredSkills[index].name}" is listed twice`);
      }
    });
    return this.transactions.run(async (manager) => {
      const buyer = await this.buyerOf(manager, input, actor);
      const needId = randomUUID();
      const escrow = await this.ledger.openAccount(manager, AccountKind.NEED_ESCROW, needId);
      const [row] = (await manager.query(
        `INSERT INTO need AS n (id, buyer_kind, buyer_id, buyer_account_id, escrow_account_id, posted_by_id,
                                title, description, hours_per_week, weeks, rate_per_hour)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING ${NEED_COLUMNS}`,
        [
          needId,
          buyer.kind,
          buyer.id,
          buyer.accountId,
          escrow.id,
          actor.id,
          input.title,
          input.description,
          input.hoursPerWeek,
          input.weeks,
          input.ratePerHour,
        ],
      )) as NeedRow[];
      const skills = await this.skills.ensureSkills(
        manager,
        input.requiredSkills.map((s) => s.name),
      );
      if (input.requiredSkills.length > 0) {
        await manager.query(
          `INSERT INTO need_skill (need_id, skill_id, min_level)
           SELECT $1, * FROM unnest($2::uuid[], $3::int[])`,
          [
            needId,
            input.requiredSkills.map((s) => skills.get(normalizeSkillName(s.name))!.id),
            input.requiredSkills.map((s) => s.minLevel),
          ],
        );
      }
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'need.post',
        subjectType: 'Need',
        subjectId: needId,
        payload: {
          buyerKind: buyer.kind,
          buyerId: buyer.id,
          title: input.title,
          hoursPerWeek: input.hoursPerWeek,
          weeks: input.weeks,
          ratePerHour: input.ratePerHour,
          requiredSkills: input.requiredSkills.map((s) => ({ name: s.name, minLevel: s.minLevel })),
        },
      });
      return toNeed(row);
    });
  }

  /** The buyer named by the input, after checking the actor acts for it. */
  private async buyerOf(
    manager: EntityManager,
    input: PostNeedInput,
    actor: Actor,
  ): Promise<{ kind: BuyerKind; id: string; accountId: string }> {
    if (!!input.buyerTeamId === !!input.buyerInitiativeId) {
      throw badInput(
        'input.buyerTeamId',
        'input.buyerTeamId: give either buyerTeamId or buyerInitiativeId',
      );
    }
    if (input.buyerInitiativeId) {
      const initiative = await this.initiatives.lockForBuying(
        manager,
        input.buyerInitiativeId,
        actor,
        'input.buyerInitiativeId',
      );
      return { kind: BuyerKind.INITIATIVE, id: initiative.id, accountId: initiative.accountId };
    }
    const teamId = input.buyerTeamId!;
    if (!actsForBuyer(actor, { buyerKind: BuyerKind.TEAM, buyerId: teamId })) {
      throw forbidden('Only a lead of the team posts needs for it');
    }
    const accountId = await this.ledger.accountIdOf(
      manager,
      AccountKind.TEAM,
      teamId,
      'input.buyerTeamId',
    );
    return { kind: BuyerKind.TEAM, id: teamId, accountId };
  }

  /**
   * Ends a need: active engagements end (their capacity is freed, logged hours stay paid),
   * pending bids are rejected, and what is left in escrow goes back to the buyer. A need that
   * never had a bid accepted ends CANCELLED, any other CLOSED.
   */
  async close(input: CloseNeedInput, actor: Actor): Promise<CloseNeedResult> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'closeNeed',
          key: input.idempotencyKey,
          request: { needId: input.needId },
          remember: (result) => ({ refundTransferId: result.refund?.id ?? null }),
          replay: async (tx, { refundTransferId }) => ({
            need: await this.findById(input.needId, 'id', tx),
            refund: refundTransferId
              ? await this.ledger.transferById(tx.manager, refundTransferId)
              : null,
          }),
        },
      },
      async ({ manager }) => {
        const need = await this.lock(manager, input.needId, 'UPDATE', 'input.needId');
        if (!actsForBuyer(actor, need))
          throw forbidden("Only the buyer's leads can close this need");
        if (need.status !== NeedStatus.OPEN && need.status !== NeedStatus.FILLED) {
          throw invalidTransition(`The need is ${need.status} already`);
        }
        return this.closeLocked(manager, need, actor.id);
      },
    );
  }

  /** Closes a need already locked FOR UPDATE and known to be OPEN or FILLED. */
  private async closeLocked(
    manager: EntityManager,
    need: Need,
    actorId: string,
  ): Promise<CloseNeedResult> {
    const ended = await modifiedRows<{ employeeId: string; hoursPerWeek: number }>(
      manager,
      `UPDATE engagement SET status = 'ENDED', finished_at = now()
        WHERE need_id = $1 AND status = 'ACTIVE'
        RETURNING employee_id AS "employeeId", hours_per_week AS "hoursPerWeek"`,
      [need.id],
    );
    for (const engagement of ended) {
      await this.capacity.release(manager, engagement.employeeId, engagement.hoursPerWeek);
    }
    const rejected = await modifiedRows<{ id: string }>(
      manager,
      `UPDATE bid SET status = 'REJECTED', decision_note = 'The need was closed', decided_at = now()
        WHERE need_id = $1 AND status = 'PENDING' RETURNING id`,
      [need.id],
    );
    const refund = await this.returnEscrow(manager, need);
    const [row] = await modifiedRows<NeedRow>(
      manager,
      `UPDATE need n SET closed_at = now(),
              status = CASE WHEN accepted_hours_per_week > 0 THEN 'CLOSED' ELSE 'CANCELLED' END::need_status
        WHERE id = $1 RETURNING ${NEED_COLUMNS}`,
      [need.id],
    );
    await this.audit.record(manager, {
      actorId,
      action: 'need.close',
      subjectType: 'Need',
      subjectId: need.id,
      payload: {
        status: row.status,
        refunded: refund?.amount ?? 0,
        endedEngagements: ended.length,
        rejectedBids: rejected.length,
      },
    });
    return { need: toNeed(row), refund };
  }

  /** When an initiative ends: its open needs close and their escrow returns to its account. */
  async closeNeedsOfInitiative(
    manager: EntityManager,
    initiativeId: string,
    actorId: string,
  ): Promise<void> {
    const rows = (await manager.query(
      `SELECT ${NEED_COLUMNS} FROM need n
        WHERE n.buyer_kind = 'INITIATIVE' AND n.buyer_id = $1 AND n.status IN ('OPEN', 'FILLED')
        ORDER BY n.id FOR UPDATE`,
      [initiativeId],
    )) as NeedRow[];
    for (const row of rows) await this.closeLocked(manager, toNeed(row), actorId);
  }

  /** Everything left in the need's escrow back to the buyer's account. */
  private async returnEscrow(manager: EntityManager, need: Need): Promise<TransferEntity | null> {
    const balance = await this.ledger.lockBalance(manager, need.escrowAccountId);
    if (balance === 0) return null;
    if (need.buyerKind === BuyerKind.INITIATIVE) {
      await this.initiatives.addSpending(manager, need.buyerId, -balance);
    }
    return this.ledger.transfer(manager, {
      fromAccountId: need.escrowAccountId,
      toAccountId: need.buyerAccountId,
      amount: balance,
      kind: TransferKind.ESCROW_RETURN,
      memo: `Unspent escrow of "${need.title}"`,
    });
  }

  /** The need, row-locked for the rest of the transaction (SHARE: it must not change; UPDATE: we change it). */
  async lock(
    manager: EntityManager,
    needId: string,
    mode: 'SHARE' | 'UPDATE',
    field = 'needId',
  ): Promise<Need> {
    const [row] = (await manager.query(
      `SELECT ${NEED_COLUMNS} FROM need n WHERE n.id = $1 FOR ${mode}`,
      [needId],
    )) as NeedRow[];
    if (!row) throw notFound('Need', field);
    return toNeed(row);
  }

  async findById(id: string, field = 'id', db: Db = this.dataSource): Promise<Need> {
    const [row] = (await db.query(`SELECT ${NEED_COLUMNS} FROM need n WHERE n.id = $1`, [
      id,
    ])) as NeedRow[];
    if (!row) throw notFound('Need', field);
    return toNeed(row);
  }

  /** Newest first. */
  list(
    filter: NeedFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Need>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter?.status) where.push(`n.status = ${params.add(filter.status)}`);
    if (filter?.buyerInitiativeId) {
      where.push(
        `n.buyer_kind = '${BuyerKind.INITIATIVE}' AND n.buyer_id = ${params.add(filter.buyerInitiativeId)}`,
      );
    }
    if (filter?.buyerTeamId) {
      where.push(
        `n.buyer_kind = '${BuyerKind.TEAM}' AND n.buyer_id = ${params.add(filter.buyerTeamId)}`,
      );
    }
    if (filter?.skillId || filter?.skill) {
      const skill = filter.skillId
        ? params.add(filter.skillId)
        : `(SELECT id FROM skill WHERE normalized_name = ${params.add(normalizeSkillName(filter.skill!))})`;
      where.push(
        `EXISTS (SELECT 1 FROM need_skill s WHERE s.need_id = n.id AND s.skill_id = ${skill})`,
      );
    }
    if (filter?.text) {
      where.push(
        `${SEARCH_DOCUMENT} @@ websearch_to_tsquery('english', ${params.add(filter.text)})`,
      );
    }
    return keysetPage<NeedRow, Need>((sql, p) => this.dataSource.query(sql, p), {
      select: NEED_COLUMNS,
      from: 'need n',
      where,
      params,
      orderBy: [{ sql: 'n.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (need) => [need.seq],
      map: toNeed,
      first,
      after,
    });
  }

  readonly byId = new BatchLoader<string, Need | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${NEED_COLUMNS} FROM need n WHERE n.id = ANY($1)`,
      [[...ids]],
    )) as NeedRow[];
    return byKey(ids, rows.map(toNeed), (need) => need.id);
  });

  readonly requiredSkills = new BatchLoader<string, RequiredSkill[]>(async (needIds) => {
    const rows = (await this.dataSource.query(
      `SELECT s.need_id AS "needId", s.skill_id AS "skillId", s.min_level AS "minLevel"
         FROM need_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.need_id = ANY($1) ORDER BY s.min_level DESC, k.normalized_name`,
      [[...needIds]],
    )) as RequiredSkill[];
    return groupedByKey(needIds, rows, (s) => s.needId);
  });
}
