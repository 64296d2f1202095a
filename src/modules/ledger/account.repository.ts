import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { AccountKind } from './ledger.enums.js';
import type { LedgerAccount } from './models/ledger.models.js';

/** `balance` is a bigint: read as text, turned into a number by the mapper. */
const ACCOUNT_COLUMNS = `id, kind, owner_id AS "ownerId", balance::text AS balance, created_at AS "createdAt"`;

type AccountRow = Omit<LedgerAccount, 'balance'> & { balance: string };

const toAccount = (row: AccountRow): LedgerAccount => ({ ...row, balance: Number(row.balance) });

/** A page's row: the account and the text of its creation time its cursor holds. */
type AccountPageRow = AccountRow & { createdCursor: string };
type PagedAccount = LedgerAccount & { createdCursor: string };

/** Which accounts a page holds. */
export interface AccountFilter {
  kind?: AccountKind;
}

/** What the accounts of one kind hold together, read in one snapshot with the other kinds. */
export interface KindBalance {
  kind: AccountKind;
  accountCount: number;
  balance: number;
}

/** The key of `byOwner`. */
export const accountOwnerKey = (kind: AccountKind, ownerId: string): string => `${kind}:${ownerId}`;

/**
 * The `account` table. Balances change only through TransferRepository.record, in the
 * statement that records the transfer: it locks both rows in id order, and the
 * account_balance_non_negative CHECK refuses an overdraft.
 */
@Injectable()
export class AccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new account of an owner, balance 0. */
  async insert(tx: Db, kind: AccountKind, ownerId: string): Promise<LedgerAccount> {
    const [account] = await rows<AccountRow>(
      tx,
      `INSERT INTO account (kind, owner_id) VALUES ($1, $2) RETURNING ${ACCOUNT_COLUMNS}`,
      [kind, ownerId],
    );
    return toAccount(account);
  }

  /** The id of the one ISSUANCE account, if there is one. */
  async issuanceAccountId(db: Db): Promise<string | undefined> {
    const row = await firstRow<{ id: string }>(
      db,
      `SELECT id FROM account WHERE kind = 'ISSUANCE'`,
    );
    return row?.id;
  }

  /** The id of an owner's account of a kind, if it has one. */
  async idOf(db: Db, kind: AccountKind, ownerId: string): Promise<string | undefined> {
    const row = await firstRow<{ id: string }>(
      db,
      `SELECT id FROM account WHERE kind = $1 AND owner_id = $2`,
      [kind, ownerId],
    );
    return row?.id;
  }

  /** The account's balance, its row locked FOR UPDATE until the transaction ends. */
  async lockBalance(tx: Db, id: string): Promise<number | undefined> {
    const row = await firstRow<{ balance: string }>(
      tx,
      `SELECT balance::text FROM account WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? Number(row.balance) : undefined;
  }

  /** The account of an owner, if it has one. */
  async findByOwner(
    kind: AccountKind,
    ownerId: string,
    db: Db = this.dataSource,
  ): Promise<LedgerAccount | undefined> {
    const row = await firstRow<AccountRow>(
      db,
      `SELECT ${ACCOUNT_COLUMNS} FROM account WHERE kind = $1 AND owner_id = $2`,
      [kind, ownerId],
    );
    return row && toAccount(row);
  }

  /** Accounts by kind (in its name's order), then oldest first. */
  page(
    filter: AccountFilter,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<LedgerAccount>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter.kind) where.push(`a.kind = ${params.add(filter.kind)}`);
    return keysetPage<AccountPageRow, PagedAccount>((sql, p) => this.dataSource.query(sql, p), {
      select: `a.id, a.kind, a.owner_id AS "ownerId", a.balance::text AS balance, a.created_at AS "createdAt",
        to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdCursor"`,
      from: 'account a',
      where,
      params,
      // The kind as text: a forged cursor's kind is compared, never cast to the enum.
      orderBy: [
        { sql: 'a.kind::text', holds: 'text' },
        { sql: 'a.created_at', holds: 'timestamp' },
        { sql: 'a.id', holds: 'uuid' },
      ],
      sortKey: (account) => [account.kind, account.createdCursor, account.id],
      first,
      after,
      map: (row) => ({ ...toAccount(row), createdCursor: row.createdCursor }),
    });
  }

  /**
   * Every kind's accounts and their balances summed, in one statement: one snapshot, so that
   * the sums are those of the same moment (and so add up to 0, DESIGN.md invariant 1).
   */
  async balancesByKind(db: Db = this.dataSource): Promise<{ at: Date; kinds: KindBalance[] }> {
    // Every kind, in the enum's order, with or without accounts.
    const found = await rows<{
      at: Date;
      kind: AccountKind;
      accountCount: number;
      balance: string;
    }>(
      db,
      `SELECT now() AS at, k.kind, count(a.id)::int AS "accountCount",
              coalesce(sum(a.balance), 0)::text AS balance
         FROM unnest(enum_range(NULL::account_kind)) AS k(kind)
         LEFT JOIN account a ON a.kind = k.kind
        GROUP BY k.kind ORDER BY k.kind`,
    );
    return {
      at: found[0].at,
      kinds: found.map(({ kind, accountCount, balance }) => ({
        kind,
        accountCount,
        balance: Number(balance),
      })),
    };
  }

  readonly byId = new BatchLoader<string, LedgerAccount | null>(async (ids) => {
    const found = await rows<AccountRow>(
      this.dataSource,
      `SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toAccount), (account) => account.id);
  });

  /** Keys are built with `accountOwnerKey`. */
  readonly byOwner = new BatchLoader<string, LedgerAccount | null>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const found = await rows<AccountRow>(
      this.dataSource,
      // The enum is cast on the list's side: casting the column would rule out account_owner_key.
      `SELECT ${ACCOUNT_COLUMNS} FROM account
        WHERE (kind, owner_id) IN (SELECT k::account_kind, o FROM unnest($1::text[], $2::uuid[]) AS u(k, o))`,
      [pairs.map(([kind]) => kind), pairs.map(([, owner]) => owner)],
    );
    return byKey(keys, found.map(toAccount), (account) =>
      accountOwnerKey(account.kind, account.ownerId!),
    );
  });
}
