import { Injectable } from '@nestjs/common';
import { firstRow, rows, type Db } from '../../database/sql.js';

/** What the first call with a key left behind. */
export interface RememberedCall {
  operation: string;
  requestHash: string;
  response: Record<string, unknown>;
}

/** The `idempotency_key` table: one row per (caller, key), written in the call's own transaction. */
@Injectable()
export class IdempotencyKeyRepository {
  /**
   * Claims the key for this call. A concurrent call with the same key blocks here on the primary
   * key until the first transaction ends, then finds the row (commit) or claims it (rollback).
   */
  async claim(
    tx: Db,
    actorId: string,
    key: string,
    operation: string,
    requestHash: string,
  ): Promise<boolean> {
    const claimed = await rows(
      tx,
      `INSERT INTO idempotency_key (actor_id, key, operation, request_hash, response)
       VALUES ($1, $2, $3, $4, 'null'::jsonb)
       ON CONFLICT (actor_id, key) DO NOTHING
       RETURNING 1`,
      [actorId, key, operation, requestHash],
    );
    return claimed.length > 0;
  }

  /** The call that claimed the key first (read in the caller's transaction, after the claim). */
  async remembered(tx: Db, actorId: string, key: string): Promise<RememberedCall> {
    const row = await firstRow<RememberedCall>(
      tx,
      `SELECT operation, request_hash AS "requestHash", response
         FROM idempotency_key WHERE actor_id = $1 AND key = $2`,
      [actorId, key],
    );
    if (!row) throw new Error('An idempotency key vanished inside its own transaction');
    return row;
  }

  async remember(
    tx: Db,
    actorId: string,
    key: string,
    response: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(
      `UPDATE idempotency_key SET response = $3::jsonb WHERE actor_id = $1 AND key = $2`,
      [actorId, key, JSON.stringify(response)],
    );
  }
}
