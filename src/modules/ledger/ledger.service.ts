import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { insufficientFunds, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { decodeCursor } from '../../common/graphql/cursor.js';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { toConnection, type ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { modifiedRows, type Db } from '../../database/sql.js';
import { AccountEntity } from './account.entity.js';
import { AccountKind, TransferKind } from './ledger.enums.js';
import { TransferEntity } from './transfer.entity.js';

export interface TransferCommand {
  fromAccountId: string;
  toAccountId: string;
  amount: number;
  kind: TransferKind;
  idempotencyKey?: string | null;
  memo?: string | null;
}

/** One line of an account's statement: a transfer seen from that account. */
export interface LedgerEntryRow {
  transferId: string;
  seq: number;
  kind: TransferKind;
  /** Positive when credits came in, negative when they went out. */
  change: number;
  counterpartyAccountId: string;
  memo: string | null;
  at: Date;
}

/** The key of `accountByOwner`. */
export const accountOwnerKey = (kind: AccountKind, ownerId: string): string => `${kind}:${ownerId}`;

/**
 * The double-entry ledger (DESIGN.md invariants 1 and 2). Every movement of credits goes
 * through `transfer`, always inside the caller's transaction:
 * - both balances change in one statement, so the sum over all accounts stays 0;
 * - the account_balance_non_negative CHECK refuses an overdraft atomically, however many
 *   debits race (the UPDATE takes the row locks, in account-id order to avoid deadlocks).
 */
@Injectable()
export class LedgerService {
  private issuanceAccount?: string;

  constructor(private readonly dataSource: DataSource) {}

  async openAccount(manager: Db, kind: AccountKind, ownerId: string): Promise<AccountEntity> {
    const [account] = (await manager.query(
      `INSERT INTO account (kind, owner_id) VALUES ($1, $2)
       RETURNING id, kind, owner_id AS "ownerId", balance::int8 AS balance, created_at AS "createdAt"`,
      [kind, ownerId],
    )) as AccountEntity[];
    return { ...account, balance: Number(account.balance) };
  }

  /** The id of the one ISSUANCE account, where every credit comes from (cached: it never changes). */
  async issuanceAccountId(manager: Db): Promise<string> {
    if (!this.issuanceAccount) {
      const [row] = (await manager.query(`SELECT id FROM account WHERE kind = 'ISSUANCE'`)) as {
        id: string;
      }[];
      this.issuanceAccount = row.id;
    }
    return this.issuanceAccount;
  }

  /** The id of an owner's account of a kind; NOT_FOUND (on `field`) when it has none. */
  async accountIdOf(
    manager: Db,
    kind: AccountKind,
    ownerId: string,
    field?: string,
  ): Promise<string> {
    const [row] = (await manager.query(`SELECT id FROM account WHERE kind = $1 AND owner_id = $2`, [
      kind,
      ownerId,
    ])) as { id: string }[];
    if (!row) throw notFound(`${kind.toLowerCase().replace('_', ' ')} account`, field);
    return row.id;
  }

  /**
   * An account's balance, its row locked FOR UPDATE until the transaction ends: for moving
   * "whatever is left" (escrow returns, refunds), which must not race another movement.
   */
  async lockBalance(tx: Db, accountId: string): Promise<number> {
    const [row] = (await tx.query(`SELECT balance::text FROM account WHERE id = $1 FOR UPDATE`, [
      accountId,
    ])) as { balance: string }[];
    if (!row) throw notFound('account');
    return Number(row.balance);
  }

  /** The account of an owner, read outside any transaction (for display). */
  async findAccountOf(kind: AccountKind, ownerId: string): Promise<AccountEntity> {
    const account = await this.dataSource.getRepository(AccountEntity).findOneBy({ kind, ownerId });
    if (!account) throw notFound(`${kind.toLowerCase().replace('_', ' ')} account`);
    return account;
  }

  async transfer(manager: Db, command: TransferCommand): Promise<TransferEntity> {
    try {
      const updated = await modifiedRows(
        manager,
        `WITH locked AS (
           SELECT id FROM account WHERE id IN ($1, $2) ORDER BY id FOR UPDATE
         )
         UPDATE account a
            SET balance = a.balance + CASE WHEN a.id = $1 THEN -$3::bigint ELSE $3::bigint END
           FROM locked WHERE a.id = locked.id
         RETURNING a.id`,
        [command.fromAccountId, command.toAccountId, command.amount],
      );
      if (updated.length !== 2) throw notFound('account');
    } catch (error) {
      if (isConstraintViolation(error, 'account_balance_non_negative')) throw insufficientFunds();
      throw error;
    }
    const [transfer] = (await manager.query(
      // The weekly flow summary (account_flow) is kept in the same statement.
      `WITH inserted AS (
         INSERT INTO transfer (from_account_id, to_account_id, amount, kind, idempotency_key, memo)
         VALUES ($1, $2, $3, $4, $5, $6)
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
        command.fromAccountId,
        command.toAccountId,
        command.amount,
        command.kind,
        command.idempotencyKey ?? null,
        command.memo ?? null,
      ],
    )) as RawTransfer[];
    return fromRawTransfer(transfer);
  }

  async transferById(manager: Db, id: string): Promise<TransferEntity> {
    const [row] = (await manager.query(`SELECT ${TRANSFER_COLUMNS} FROM transfer WHERE id = $1`, [
      id,
    ])) as RawTransfer[];
    if (!row) throw notFound('transfer');
    return fromRawTransfer(row);
  }

  readonly accountById = new BatchLoader<string, AccountEntity | null>(async (ids) => {
    const rows = await this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .where('a.id = ANY(:ids)', { ids: [...ids] })
      .getMany();
    return byKey(ids, rows, (row) => row.id);
  });

  /** Keys are built with `accountOwnerKey`. */
  readonly accountOfOwner = new BatchLoader<string, AccountEntity | null>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const rows = await this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .where(
        // The enum is cast on the list's side: casting the column would rule out account_owner_key.
        `(a.kind, a.owner_id) IN (SELECT k::account_kind, o FROM unnest(:kinds::text[], :owners::uuid[]) AS u(k, o))`,
        {
          kinds: pairs.map(([kind]) => kind),
          owners: pairs.map(([, owner]) => owner),
        },
      )
      .getMany();
    return byKey(keys, rows, (row) => accountOwnerKey(row.kind, row.ownerId!));
  });

  /** An account's statement, newest first, optionally within whole weeks. */
  async entries(
    accountId: string,
    first: number,
    after?: string,
    weeks: WeekRange = { from: null, to: null },
  ): Promise<ConnectionResult<LedgerEntryRow>> {
    const [afterSeq] = after ? decodeCursor(after, ['bigint']) : [Number.MAX_SAFE_INTEGER];
    const params = new SqlParams();
    const account = params.add(accountId);
    const where = `seq < ${params.add(afterSeq)} AND ${inWeeks(weeks, params)}`;
    const limit = params.add(first + 1);
    // Two index scans (money out, money in) merged, instead of one OR that would sort the lot.
    const rows = (await this.dataSource.query(
      `SELECT * FROM (
         (SELECT id AS "transferId", seq, kind, -amount AS change, to_account_id AS "counterpartyAccountId", memo, at
            FROM transfer WHERE from_account_id = ${account} AND ${where} ORDER BY seq DESC LIMIT ${limit})
         UNION ALL
         (SELECT id, seq, kind, amount, from_account_id, memo, at
            FROM transfer WHERE to_account_id = ${account} AND ${where} ORDER BY seq DESC LIMIT ${limit})
       ) entries ORDER BY seq DESC LIMIT ${limit}`,
      params.values,
    )) as (Omit<LedgerEntryRow, 'seq' | 'change'> & { seq: string; change: string })[];
    return toConnection(
      rows.map((row) => ({ ...row, seq: Number(row.seq), change: Number(row.change) })),
      first,
      (row) => [row.seq],
      async () => {
        const countParams = new SqlParams();
        const countAccount = countParams.add(accountId);
        const [{ count }] = (await this.dataSource.query(
          `SELECT count(*)::int AS count FROM transfer
            WHERE (from_account_id = ${countAccount} OR to_account_id = ${countAccount})
              AND ${inWeeks(weeks, countParams)}`,
          countParams.values,
        )) as { count: number }[];
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

const TRANSFER_COLUMNS = `id, seq, from_account_id AS "fromAccountId", to_account_id AS "toAccountId",
  amount, kind, idempotency_key AS "idempotencyKey", memo, at`;

type RawTransfer = Omit<TransferEntity, 'seq' | 'amount'> & { seq: string; amount: string };

function fromRawTransfer(row: RawTransfer): TransferEntity {
  return Object.assign(new TransferEntity(), row, {
    seq: Number(row.seq),
    amount: Number(row.amount),
  });
}
