import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { EntityManager } from 'typeorm';
import { conflict } from '../errors/domain-error.js';

export interface IdempotentCall {
  actorId: string;
  /** The client's key; without one the call simply runs. */
  key?: string | null;
  operation: string;
  /** The call's arguments (without the key): a replay must match them exactly. */
  request: Record<string, unknown>;
}

export interface IdempotentWork<T, R extends Record<string, unknown>> {
  /** Does the work; runs only for the first call with a key. */
  run: () => Promise<T>;
  /** What to remember of the outcome (ids, not whole objects: they are reloaded on replay). */
  remember: (result: T) => R;
  /** Rebuilds the outcome of the first call from what was remembered. */
  replay: (remembered: R) => Promise<T>;
}

/**
 * DESIGN.md invariant 6: a mutation retried with the same idempotency key returns the first
 * result and moves no credits twice. Works inside the caller's transaction:
 *
 * 1. The key is claimed with an INSERT. A concurrent call with the same key blocks on the
 *    primary key until the first transaction ends, then finds the row (commit) or claims it
 *    itself (rollback). No read-then-write race is possible.
 * 2. The outcome is stored in the same transaction as the work, so either both exist or neither.
 */
@Injectable()
export class IdempotencyService {
  async once<T, R extends Record<string, unknown>>(
    manager: EntityManager,
    call: IdempotentCall,
    work: IdempotentWork<T, R>,
  ): Promise<T> {
    if (!call.key) return work.run();
    const requestHash = createHash('sha256')
      .update(stringify({ operation: call.operation, request: call.request }) ?? '')
      .digest('hex');

    const claimed: unknown[] = await manager.query(
      `INSERT INTO idempotency_key (actor_id, key, operation, request_hash, response)
       VALUES ($1, $2, $3, $4, 'null'::jsonb)
       ON CONFLICT (actor_id, key) DO NOTHING
       RETURNING 1`,
      [call.actorId, call.key, call.operation, requestHash],
    );
    if (claimed.length === 0) {
      const [previous] = (await manager.query(
        `SELECT operation, request_hash AS "requestHash", response
           FROM idempotency_key WHERE actor_id = $1 AND key = $2`,
        [call.actorId, call.key],
      )) as { operation: string; requestHash: string; response: R }[];
      if (previous.operation !== call.operation || previous.requestHash !== requestHash) {
        throw conflict(
          'This idempotencyKey was already used for a different request',
          'input.idempotencyKey',
        );
      }
      return work.replay(previous.response);
    }

    const result = await work.run();
    await manager.query(
      `UPDATE idempotency_key SET response = $3::jsonb WHERE actor_id = $1 AND key = $2`,
      [call.actorId, call.key, JSON.stringify(work.remember(result))],
    );
    return result;
  }
}
