import { Injectable } from '@nestjs/common';
import { insufficientFunds, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { Metrics } from '../../common/observability/metrics.js';
import { Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { AccountRepository, type AccountFilter, type KindBalance } from './account.repository.js';
import type { AccountKind } from './ledger.enums.js';
import type { LedgerAccount, LedgerEntry, Transfer } from './models/ledger.models.js';
import {
  TransferRepository,
  type NewTransfer,
  type TransferFilter,
} from './transfer.repository.js';

export { accountOwnerKey } from './account.repository.js';
export type { AccountFilter, KindBalance, TransferFilter };

/** A movement of credits to make. */
export type TransferCommand = NewTransfer;

const accountName = (kind: AccountKind): string =>
  `${kind.toLowerCase().replace('_', ' ')} account`;

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
  private readonly transfersMade;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly transfers: TransferRepository,
    metrics: Metrics,
  ) {
    this.transfersMade = metrics.counter({
      name: 'ledger_transfers_total',
      help: 'Ledger transfers committed by this instance, by kind.',
      labelNames: ['kind'] as const,
    });
  }

  async openAccount(tx: Db, kind: AccountKind, ownerId: string): Promise<LedgerAccount> {
    return this.accounts.insert(tx, kind, ownerId);
  }

  /** The id of the one ISSUANCE account, where every credit comes from (cached: it never changes). */
  async issuanceAccountId(db: Db): Promise<string> {
    if (!this.issuanceAccount) {
      const id = await this.accounts.issuanceAccountId(db);
      if (!id) throw new Error('The ledger has no ISSUANCE account: run the migrations');
      this.issuanceAccount = id;
    }
    return this.issuanceAccount;
  }

  /** The id of an owner's account of a kind; NOT_FOUND (on `field`) when it has none. */
  async accountIdOf(db: Db, kind: AccountKind, ownerId: string, field?: string): Promise<string> {
    const id = await this.accounts.idOf(db, kind, ownerId);
    if (!id) throw notFound(accountName(kind), field);
    return id;
  }

  /**
   * An account's balance, its row locked FOR UPDATE until the transaction ends: for moving
   * "whatever is left" (escrow returns, refunds), which must not race another movement.
   */
  async lockBalance(tx: Db, accountId: string): Promise<number> {
    const balance = await this.accounts.lockBalance(tx, accountId);
    if (balance === undefined) throw notFound('account');
    return balance;
  }

  /** The account of an owner, read outside any transaction (for display). */
  async findAccountOf(kind: AccountKind, ownerId: string): Promise<LedgerAccount> {
    const account = await this.accounts.findByOwner(kind, ownerId);
    if (!account) throw notFound(accountName(kind));
    return account;
  }

  async transfer(tx: Db, command: TransferCommand): Promise<Transfer> {
    let transfer: Transfer | undefined;
    try {
      transfer = await this.transfers.record(tx, command);
    } catch (error) {
      if (isConstraintViolation(error, 'account_balance_non_negative')) throw insufficientFunds();
      throw error;
    }
    if (!transfer) throw notFound('account');
    // Counted once committed: a transfer rolled back (and retried) is not one.
    const counted = (): void => this.transfersMade.inc({ kind: command.kind });
    if (tx instanceof Tx) tx.afterCommit(counted);
    else counted();
    return transfer;
  }

  /** A transfer by id (read through `db`: a replay passes its own transaction). */
  async transferById(db: Db, id: string): Promise<Transfer> {
    const transfer = await this.transfers.findById(id, db);
    if (!transfer) throw notFound('transfer');
    return transfer;
  }

  /** Transfers by id, in that order (read through `db`, as transferById). */
  async transfersByIds(db: Db, ids: readonly string[]): Promise<Transfer[]> {
    const transfers = await this.transfers.findByIds(ids, db);
    if (transfers.length !== ids.length) throw notFound('transfer');
    return transfers;
  }

  get accountById(): AccountRepository['byId'] {
    return this.accounts.byId;
  }

  /** Keys are built with `accountOwnerKey`. */
  get accountOfOwner(): AccountRepository['byOwner'] {
    return this.accounts.byOwner;
  }

  /** Accounts by kind, then oldest first (the admin's ledger view). */
  accountPage(
    filter: AccountFilter,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<LedgerAccount>> {
    return this.accounts.page(filter, first, after);
  }

  /** Transfers newest first (the admin's ledger view). */
  transferPage(
    filter: TransferFilter,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Transfer>> {
    return this.transfers.page(filter, first, after);
  }

  /** Each kind's accounts and balances, all read at one moment. */
  balancesByKind(): Promise<{ at: Date; kinds: KindBalance[] }> {
    return this.accounts.balancesByKind();
  }

  /** An account's statement, newest first, optionally within whole weeks. */
  entries(
    accountId: string,
    first: number,
    after?: string,
    weeks: WeekRange = { from: null, to: null },
  ): Promise<ConnectionResult<LedgerEntry>> {
    return this.transfers.entries(accountId, first, after, weeks);
  }
}
