import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toConnection, type ConnectionResult } from '../../common/graphql/connection.js';
import { decodeCursor } from '../../common/graphql/cursor.js';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { TransferKind } from './ledger.enums.js';
import type { LedgerEntry, Transfer } from './models/ledger.models.js';

const TRANSFER_COLUMNS = `id, seq, from_account_id AS "fromAccountId", to_account_id AS "toAccountId",
  amount, kind, idempotency_key AS "idempotencyKey", memo, at`;

/** `seq` and `amount` are bigints, which the driver hands over as text. */
type TransferRow = Omit<Transfer, 'seq' | 'amount'> & { seq: string; amount: string };
type EntryRow = Omit<LedgerEntry, 'seq' | 'change'> & { seq: string; change: string };

const toTransfer = (row: TransferRow): Transfer => ({
  ...row,
  seq: Number(row.seq),
  amount: Number(row.amount),
});
const toEntry = (row: EntryRow): LedgerEntry => ({
  ...row,
  seq: Number(row.seq),
  change: Number(row.change),
});

/** Which transfers a page holds (every condition applies). */
export interface TransferFilter {
  kind?: TransferKind;
  /** Into or out of this account. */
  accountId?: string;
  /** Made on these days (UTC), both included; either end may be open. */
  madeIn?: { from?: string; to?: string };
}

export interface NewTransfer {
  fromAccountId: string;
  toAccountId: string;
  amount: number;
  kind: TransferKind;
  idempotencyKey?: string | null;
  memo?: string | null;
}

/** The `transfer` table (insert and read only) and the weekly flow summary it keeps. */
@Injectable()
export class TransferRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Moves `amount` between the two accounts and records the transfer, in one statement: both
   * account rows are locked in id order first (no deadlock between opposite movements), the
   * account_balance_non_negative CHECK refuses an overdraft, and the weekly flow summary
   * (account_flow) is kept. Undefined, with nothing changed, unless both accounts exist.
   */
  async record(tx: Db, transfer: NewTransfer): Promise<Transfer | undefined> {
    const [row] = await rows<TransferRow>(
      tx,
      `WITH locked AS (
         SELECT id FROM account WHERE id IN ($1, $2) ORDER BY id FOR UPDATE
       ), moved AS (
         UPDATE account a
            SET balance = a.balance + CASE WHEN a.id = $1 THEN -$3::bigint ELSE $3::bigint END
           FROM locked WHERE a.id = locked.id AND (SELECT count(*) FROM locked) = 2
         RETURNING a.id
       ), inserted AS (
         INSERT INTO transfer (from_account_id, to_account_id, amount, kind, idempotency_key, memo)
         SELECT $1::uuid, $2::uuid, $3::bigint, $4::transfer_kind, $5::text, $6::text
          WHERE (SELECT count(*) FROM moved) = 2
         RETURNING ${TRANSFER_COLUMNS}
       ), flow AS (
         INSERT INTO account_flow (account_id, week, kind, amount_in, amount_out)
         SELECT account_id, date_trunc('week', t.at AT TIME ZONE 'UTC')::date, t.kind, amount_in, amount_out
           FROM inserted t
          CROSS JOIN LATERAL (VALUES (t."fromAccountId", 0::bigint, t.amount), (t."toAccountId", t.amount, 0::bigint))
                AS side(account_id, amount_in, amount_out)
         ON CONFLICT (account_id, week, kind) DO UPDATE
           SET amount_in = account_flow.amount_in + EXCLUDED.amount_in,
               amount_out = account_flow.amount_out + EXCLUDED.amount_out
       )
       SELECT * FROM inserted`,
      [
        transfer.fromAccountId,
        transfer.toAccountId,
        transfer.amount,
        transfer.kind,
        transfer.idempotencyKey ?? null,
        transfer.memo ?? null,
      ],
    );
    return row && toTransfer(row);
  }

  async findById(id: string, db: Db = this.dataSource): Promise<Transfer | undefined> {
    const row = await firstRow<TransferRow>(
      db,
      `SELECT ${TRANSFER_COLUMNS} FROM transfer WHERE id = $1`,
      [id],
    );
    return row && toTransfer(row);
  }

  /** Transfers by id, in the order asked (one statement: a replay reads a whole refund at once). */
  async findByIds(ids: readonly string[], db: Db = this.dataSource): Promise<Transfer[]> {
    const found = await rows<TransferRow>(
      db,
      `SELECT ${TRANSFER_COLUMNS} FROM transfer WHERE id = ANY($1)`,
      [[...ids]],
    );
    const byId = new Map(found.map((row) => [row.id, toTransfer(row)]));
    return ids.map((id) => byId.get(id)).filter((t): t is Transfer => t !== undefined);
  }

  /** Every transfer the filter selects, newest first (ledger order). */
  page(filter: TransferFilter, first: number, after?: string): Promise<ConnectionResult<Transfer>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter.kind) where.push(`kind = ${params.add(filter.kind)}`);
    if (filter.accountId) {
      const account = params.add(filter.accountId);
      where.push(`(from_account_id = ${account} OR to_account_id = ${account})`);
    }
    if (filter.madeIn?.from) {
      where.push(`at >= ${params.add(filter.madeIn.from)}::date::timestamp AT TIME ZONE 'UTC'`);
    }
    if (filter.madeIn?.to) {
      where.push(`at < (${params.add(filter.madeIn.to)}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
    }
    return keysetPage<TransferRow, Transfer>((sql, p) => this.dataSource.query(sql, p), {
      select: TRANSFER_COLUMNS,
      from: 'transfer',
      where,
      params,
      orderBy: [{ sql: 'seq', holds: 'bigint' }],
      descending: true,
      sortKey: (transfer) => [transfer.seq],
      first,
      after,
      map: toTransfer,
    });
  }

  /** An account's statement, newest first, optionally within whole weeks. */
  async entries(
    accountId: string,
    first: number,
    after?: string,
    weeks: WeekRange = { from: null, to: null },
  ): Promise<ConnectionResult<LedgerEntry>> {
    const [afterSeq] = after ? decodeCursor(after, ['bigint']) : [Number.MAX_SAFE_INTEGER];
    const params = new SqlParams();
    const account = params.add(accountId);
    const where = `seq < ${params.add(afterSeq)} AND ${inWeeks(weeks, params)}`;
    const limit = params.add(first + 1);
    // Two index scans (money out, money in) merged, instead of one OR that would sort the lot.
    const found = await rows<EntryRow>(
      this.dataSource,
      `SELECT * FROM (
         (SELECT id AS "transferId", seq, kind, -amount AS change, to_account_id AS "counterpartyAccountId", memo, at
            FROM transfer WHERE from_account_id = ${account} AND ${where} ORDER BY seq DESC LIMIT ${limit})
         UNION ALL
         (SELECT id, seq, kind, amount, from_account_id, memo, at
            FROM transfer WHERE to_account_id = ${account} AND ${where} ORDER BY seq DESC LIMIT ${limit})
       ) entries ORDER BY seq DESC LIMIT ${limit}`,
      params.values,
    );
    return toConnection(
      found.map(toEntry),
      first,
      (entry) => [entry.seq],
      async () => {
        const countParams = new SqlParams();
        const countAccount = countParams.add(accountId);
        const [{ count }] = await rows<{ count: number }>(
          this.dataSource,
          `SELECT count(*)::int AS count FROM transfer
            WHERE (from_account_id = ${countAccount} OR to_account_id = ${countAccount})
              AND ${inWeeks(weeks, countParams)}`,
          countParams.values,
        );
        return count;
      },
    );
  }
}

/** Transfers made in the given whole weeks (Monday to Sunday, UTC). */
function inWeeks(weeks: WeekRange, params: SqlParams): string {
  const conditions: string[] = [];
  if (weeks.from)
    conditions.push(`at >= ${params.add(weeks.from)}::date::timestamp AT TIME ZONE 'UTC'`);
  if (weeks.to)
    conditions.push(`at < (${params.add(weeks.to)}::date + 7)::timestamp AT TIME ZONE 'UTC'`);
  return conditions.length ? conditions.join(' AND ') : 'TRUE';
}
