import { Injectable, Logger, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { ReadRouting } from '../../database/read-routing.js';
import type { Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { conflict } from '../errors/domain-error.js';
import { IdempotencyKeyRepository } from '../idempotency/idempotency-key.repository.js';
import { ActorGate } from './actor-gate.js';
import { AuditListener } from './audit-listener.js';
import { AuditTrail, type AuditEvent } from './audit-trail.js';

/** Idempotency keys of the system's own work (seeding) live under this actor id. */
const SYSTEM_ACTOR = '00000000-0000-0000-0000-000000000000';

/** Something to do once the transaction has committed (publish a change, notify someone). */
export type AfterCommit = () => unknown;

/**
 * One attempt at a unit of work: the transaction every repository call of the mutation runs
 * in, the audit events it records and the effects it asks for after commit. An attempt that
 * rolls back (and is retried) takes its effects with it.
 */
export class Tx implements Db {
  readonly effects: AfterCommit[] = [];
  /** The actions of the audit events it recorded: none for work that changes no domain state. */
  readonly actions: string[] = [];

  constructor(
    /** The TypeORM transaction underneath, for code that still speaks EntityManager. */
    readonly manager: EntityManager,
    private readonly actorId: string | null,
    private readonly trail: AuditTrail,
    private readonly listener?: AuditListener,
  ) {}

  query(sql: string, params?: unknown[]): Promise<unknown> {
    return this.manager.query(sql, params);
  }

  /**
   * Appends an audit event by the unit of work's actor, in this transaction, and lets the
   * listener (the inboxes) hear it there too.
   */
  async record(event: AuditEvent): Promise<void> {
    const record = { actorId: this.actorId, ...event };
    await this.trail.append(this, record);
    this.actions.push(event.action);
    await this.listener?.heard(this, record);
  }

  /** Runs `effect` after this transaction commits; never if it rolls back. */
  afterCommit(effect: AfterCommit): void {
    this.effects.push(effect);
  }
}

/**
 * How a mutation with a client-chosen idempotency key is recognised and answered again.
 * DESIGN.md invariant 6: a retry with the same key returns the first result and moves no
 * credits twice; the same key with other arguments is a CONFLICT.
 */
export interface Idempotency<T, R extends Record<string, unknown>> {
  /** The GraphQL mutation: keys are scoped to the caller and the operation is part of the match. */
  operation: string;
  /** The client's key; without one the mutation simply runs. */
  key?: string | null;
  /** The call's arguments without the key: a replay must match them exactly. */
  request: Record<string, unknown>;
  /** What to keep of the outcome (ids, not whole objects: they are read again on replay). */
  remember: (result: T) => R;
  /** Rebuilds the first outcome, reading through the replay's own transaction. */
  replay: (tx: Tx, remembered: R) => Promise<T>;
}

export interface MutationOptions<T, R extends Record<string, unknown>> {
  /**
   * Who acts: admitted first (an active employee, held until the end: see ActorGate), recorded
   * on every audit event, and owner of the idempotency key. Null: the system.
   */
  actor: { id: string } | null;
  idempotency?: Idempotency<T, R>;
  isolation?: IsolationLevel;
}

/**
 * The only way a mutation runs. One PostgreSQL transaction (retried whole on serialization
 * failures and deadlocks) holding, in order: the actor's admission (ActorGate: nobody acts once
 * their deactivation has committed), the idempotency claim (or the replay of the first
 * outcome, read through this same transaction so that no request ever holds two pooled
 * connections), the domain work with its audit events, and the remembered outcome. Effects
 * registered with `tx.afterCommit` run once the transaction has committed.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);
  private readonly commitListeners: ((actions: readonly string[]) => void)[] = [];

  constructor(
    private readonly transactions: Transactions,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly trail: AuditTrail,
    private readonly gate: ActorGate,
    @Optional() private readonly listener?: AuditListener,
  ) {}

  async run<T, R extends Record<string, unknown> = Record<string, unknown>>(
    options: MutationOptions<T, R>,
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    // From here on this request reads on the primary, where its own change is (or was tried).
    ReadRouting.noteWrite();
    let committed: Tx | undefined;
    const result = await this.transactions.run(
      async (manager) => {
        const tx = new Tx(manager, options.actor?.id ?? null, this.trail, this.listener);
        const outcome = await this.attempt(tx, options, work);
        committed = tx;
        return outcome;
      },
      { isolation: options.isolation },
    );
    if (committed?.actions.length) {
      for (const listener of this.commitListeners) listener(committed.actions);
    }
    for (const effect of committed?.effects ?? []) {
      try {
        await effect();
      } catch (error) {
        // The change is committed: the caller gets its answer; the lost effect is logged.
        this.logger.error(`after-commit effect failed: ${(error as Error).message}`);
      }
    }
    return result;
  }

  /**
   * Hears, right after each commit of this instance that changed domain state, the actions of
   * the audit events it recorded (every change of roles, memberships, ownership or standing
   * records one), before its after-commit effects run: something read before (a cached actor)
   * may be stale. Bookkeeping that records nothing (a notification marked read, a dashboard
   * refresh) is not heard.
   */
  onCommit(listener: (actions: readonly string[]) => void): void {
    this.commitListeners.push(listener);
  }

  private async attempt<T, R extends Record<string, unknown>>(
    tx: Tx,
    { actor, idempotency }: MutationOptions<T, R>,
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    if (actor) await this.gate.admit(tx, actor.id);
    if (!idempotency?.key) return work(tx);
    const { key, operation } = idempotency;
    const owner = actor?.id ?? SYSTEM_ACTOR;
    const requestHash = createHash('sha256')
      .update(stringify({ operation, request: idempotency.request }) ?? '')
      .digest('hex');
    if (!(await this.idempotencyKeys.claim(tx, owner, key, operation, requestHash))) {
      const first = await this.idempotencyKeys.remembered(tx, owner, key);
      if (first.operation !== operation || first.requestHash !== requestHash) {
        throw conflict(
          'This idempotencyKey was already used for a different request',
          'idempotencyKey',
        );
      }
      return idempotency.replay(tx, first.response as R);
    }
    const result = await work(tx);
    await this.idempotencyKeys.remember(tx, owner, key, idempotency.remember(result));
    return result;
  }
}
