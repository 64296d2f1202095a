import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { isRetryableTransactionError } from '../../src/common/errors/postgres-errors.js';
import type {
  IdempotencyKeyRepository,
  RememberedCall,
} from '../../src/common/idempotency/idempotency-key.repository.js';
import { ActorGate } from '../../src/common/unit-of-work/actor-gate.js';
import { AuditTrail, type AuditRecord } from '../../src/common/unit-of-work/audit-trail.js';
import {
  Tx,
  UnitOfWork,
  type MutationOptions,
} from '../../src/common/unit-of-work/unit-of-work.js';
import { ReadRouting } from '../../src/database/read-routing.js';
import type { Db } from '../../src/database/sql.js';
import type { Transactions } from '../../src/database/transactions.js';

/** A transaction's EntityManager that only records what it was asked. */
class FakeManager {
  readonly statements: string[] = [];

  query(sql: string): Promise<unknown> {
    this.statements.push(sql);
    return Promise.resolve([]);
  }
}

/** How a fake transaction ended. */
type Outcome = 'committed' | 'rolled back';

/** Runs the work once per attempt on a fresh manager, retrying retryable errors as the real one. */
class FakeTransactions {
  readonly attempts: { manager: FakeManager; outcome?: Outcome }[] = [];
  readonly log: string[] = [];

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (;;) {
      const attempt: { manager: FakeManager; outcome?: Outcome } = { manager: new FakeManager() };
      this.attempts.push(attempt);
      try {
        const result = await work(attempt.manager as unknown as EntityManager);
        attempt.outcome = 'committed';
        this.log.push('commit');
        return result;
      } catch (error) {
        attempt.outcome = 'rolled back';
        this.log.push('rollback');
        if (!isRetryableTransactionError(error)) throw error;
      }
    }
  }
}

/** The idempotency_key table in memory; every call notes the transaction it came through. */
class FakeIdempotencyKeys {
  readonly rows = new Map<string, RememberedCall>();
  readonly calls: { method: string; tx: Db }[] = [];

  claim(tx: Db, actorId: string, key: string, operation: string, requestHash: string) {
    this.calls.push({ method: 'claim', tx });
    const id = `${actorId}:${key}`;
    if (this.rows.has(id)) return Promise.resolve(false);
    this.rows.set(id, { operation, requestHash, response: {} });
    return Promise.resolve(true);
  }

  remembered(tx: Db, actorId: string, key: string): Promise<RememberedCall> {
    this.calls.push({ method: 'remembered', tx });
    return Promise.resolve(this.rows.get(`${actorId}:${key}`)!);
  }

  remember(tx: Db, actorId: string, key: string, response: Record<string, unknown>) {
    this.calls.push({ method: 'remember', tx });
    this.rows.get(`${actorId}:${key}`)!.response = response;
    return Promise.resolve();
  }
}

class FakeTrail extends AuditTrail {
  readonly records: AuditRecord[] = [];

  append(_tx: Db, record: AuditRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }
}

/** Admits everyone but the ids in `deactivated`; notes whom it was asked about, and through which transaction. */
class FakeGate extends ActorGate {
  readonly deactivated = new Set<string>();
  readonly admitted: { actorId: string; tx: Db }[] = [];

  admit(tx: Db, actorId: string): Promise<void> {
    if (this.deactivated.has(actorId)) {
      return Promise.reject(new DomainError(ErrorCode.UNAUTHENTICATED, 'deactivated'));
    }
    this.admitted.push({ actorId, tx });
    return Promise.resolve();
  }
}

/** A serialization failure, as the driver reports it. */
const serializationFailure = (): Error =>
  Object.assign(new Error('could not serialize access'), { code: '40001', severity: 'ERROR' });

const actor = { id: 'a1b2c3d4-0000-4000-8000-000000000001' };

describe(UnitOfWork.name, () => {
  let transactions: FakeTransactions;
  let keys: FakeIdempotencyKeys;
  let trail: FakeTrail;
  let gate: FakeGate;
  let sut: UnitOfWork;

  beforeEach(() => {
    transactions = new FakeTransactions();
    keys = new FakeIdempotencyKeys();
    trail = new FakeTrail();
    gate = new FakeGate();
    sut = new UnitOfWork(
      transactions as unknown as Transactions,
      keys as unknown as IdempotencyKeyRepository,
      trail,
      gate,
    );
  });

  /** An idempotent "allocate" whose work returns a transfer id and whose replay reads it back. */
  const allocate = (
    key: string | null,
    amount: number,
    replay = jest.fn((_tx: Tx, remembered: { transferId: string }) =>
      Promise.resolve({ id: remembered.transferId, replayed: true }),
    ),
  ): MutationOptions<{ id: string; replayed: boolean }, { transferId: string }> => ({
    actor,
    idempotency: {
      operation: 'allocateCredits',
      key,
      request: { amount },
      remember: (transfer) => ({ transferId: transfer.id }),
      replay,
    },
  });

  it('runs the work once, in one transaction, when no key is given', async () => {
    const work = jest.fn(() => Promise.resolve('done'));

    await expect(sut.run({ actor }, work)).resolves.toBe('done');

    expect(work).toHaveBeenCalledTimes(1);
    expect(transactions.attempts).toHaveLength(1);
    expect(keys.calls).toEqual([]);
  });

  it('sends the rest of a read-only request’s reads to the primary once it begins, even if it fails', async () => {
    const allowed = await ReadRouting.run(async () => {
      ReadRouting.declareReadOnly();
      gate.deactivated.add(actor.id);
      await sut.run({ actor }, () => Promise.resolve()).catch(() => undefined);
      return ReadRouting.replicaAllowed();
    });

    expect(allowed).toBe(false);
  });

  it('admits the actor first, through the work’s own transaction; the system needs no admission', async () => {
    const work = jest.fn((_tx: Tx) => Promise.resolve({ id: 'transfer-1', replayed: false }));

    await sut.run(allocate('key-1', 100), work);
    await sut.run({ actor: null }, () => Promise.resolve());

    const [tx] = work.mock.calls[0];
    expect(gate.admitted).toEqual([{ actorId: actor.id, tx }]);
    expect(keys.calls[0].tx).toBe(tx);
  });

  it('refuses a deactivated actor before anything runs, a replay included', async () => {
    await sut.run(allocate('key-1', 100), () =>
      Promise.resolve({ id: 'transfer-1', replayed: false }),
    );
    keys.calls.length = 0;
    gate.deactivated.add(actor.id);
    const work = jest.fn(() => Promise.resolve({ id: 'transfer-2', replayed: false }));

    const refusal = await sut.run(allocate('key-1', 100), work).catch((error: unknown) => error);

    expect(refusal).toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    expect(work).not.toHaveBeenCalled();
    expect(keys.calls).toEqual([]);
    expect(transactions.attempts.at(-1)?.outcome).toBe('rolled back');
  });

  it('records audit events as the unit of work’s actor', async () => {
    await sut.run({ actor }, (tx) =>
      tx.record({ action: 'team.create', subjectType: 'Team', subjectId: 't1' }),
    );
    await sut.run({ actor: null }, (tx) =>
      tx.record({ action: 'team.create', subjectType: 'Team', subjectId: 't2' }),
    );

    expect(trail.records.map((r) => r.actorId)).toEqual([actor.id, null]);
  });

  it('claims a new key, runs the work, then remembers its outcome, all in the same transaction', async () => {
    const work = jest.fn(() => Promise.resolve({ id: 'transfer-1', replayed: false }));

    await expect(sut.run(allocate('key-1', 100), work)).resolves.toEqual({
      id: 'transfer-1',
      replayed: false,
    });

    expect(work).toHaveBeenCalledTimes(1);
    expect(keys.calls.map((c) => c.method)).toEqual(['claim', 'remember']);
    const [tx] = work.mock.calls[0] as unknown as [Tx];
    expect(keys.calls.every((call) => call.tx === tx)).toBe(true);
    expect(keys.rows.get(`${actor.id}:key-1`)?.response).toEqual({ transferId: 'transfer-1' });
  });

  it('replays the first outcome through its own transaction, without running the work again', async () => {
    await sut.run(allocate('key-1', 100), () =>
      Promise.resolve({ id: 'transfer-1', replayed: false }),
    );
    keys.calls.length = 0;
    const replay = jest.fn((_tx: Tx, remembered: { transferId: string }) =>
      Promise.resolve({ id: remembered.transferId, replayed: true }),
    );
    const work = jest.fn(() => Promise.resolve({ id: 'transfer-2', replayed: false }));

    await expect(sut.run(allocate('key-1', 100, replay), work)).resolves.toEqual({
      id: 'transfer-1',
      replayed: true,
    });

    expect(work).not.toHaveBeenCalled();
    expect(keys.calls.map((c) => c.method)).toEqual(['claim', 'remembered']);
    const [tx] = replay.mock.calls[0];
    expect(tx.manager).toBe(transactions.attempts[1].manager);
    expect(keys.calls.every((call) => call.tx === tx)).toBe(true);
    expect(transactions.attempts).toHaveLength(2);
  });

  it('refuses the same key with a different request as CONFLICT on idempotencyKey', async () => {
    await sut.run(allocate('key-1', 100), () =>
      Promise.resolve({ id: 'transfer-1', replayed: false }),
    );
    const work = jest.fn(() => Promise.resolve({ id: 'transfer-2', replayed: false }));

    const refusal = await sut.run(allocate('key-1', 999), work).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      code: ErrorCode.CONFLICT,
      details: { field: 'idempotencyKey' },
    });
    expect(work).not.toHaveBeenCalled();
    expect(transactions.attempts.at(-1)?.outcome).toBe('rolled back');
  });

  it('runs after-commit effects once the transaction has committed, and drops those of a rolled-back attempt', async () => {
    const effects: string[] = [];
    let attempt = 0;

    await sut.run({ actor }, (tx) => {
      attempt++;
      const which = attempt;
      tx.afterCommit(() => {
        effects.push(`publish from attempt ${which} after ${transactions.log.join(', ')}`);
      });
      if (which === 1) return Promise.reject(serializationFailure());
      return Promise.resolve();
    });

    expect(transactions.attempts.map((a) => a.outcome)).toEqual(['rolled back', 'committed']);
    expect(effects).toEqual(['publish from attempt 2 after rollback, commit']);
  });

  it('answers the call even when an after-commit effect throws', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const second = jest.fn();

    await expect(
      sut.run({ actor }, (tx) => {
        tx.afterCommit(() => {
          throw new Error('the broker is down');
        });
        tx.afterCommit(second);
        return Promise.resolve('committed anyway');
      }),
    ).resolves.toBe('committed anyway');

    expect(second).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('the broker is down'));
    logged.mockRestore();
  });
});
