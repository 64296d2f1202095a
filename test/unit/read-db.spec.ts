import type { DataSource } from 'typeorm';
import { ReadDb } from '../../src/database/read-db.js';
import type { ReadReplica } from '../../src/database/read-replica.js';
import { ReadRouting } from '../../src/database/read-routing.js';

/** Stands in for either server's pool: answers with its own name. */
class FakeServer {
  readonly statements: string[] = [];
  constructor(
    readonly name: string,
    private readonly answers = true,
  ) {}

  query(sql: string): Promise<unknown> {
    this.statements.push(sql);
    return Promise.resolve([{ server: this.name }]);
  }

  usable(): boolean {
    return true;
  }

  tryQuery(sql: string): Promise<{ rows: unknown[] } | undefined> {
    this.statements.push(sql);
    return Promise.resolve(this.answers ? { rows: [{ server: this.name }] } : undefined);
  }
}

describe('ReadRouting', () => {
  it('keeps every read on the primary outside a request (jobs, subscriptions’ events, start-up)', () => {
    ReadRouting.declareReadOnly();
    expect(ReadRouting.replicaAllowed()).toBe(false);
  });

  it('allows the replica to a request only once it is declared read-only, and never after it writes', () => {
    ReadRouting.run(() => {
      expect(ReadRouting.replicaAllowed()).toBe(false);
      ReadRouting.declareReadOnly();
      expect(ReadRouting.replicaAllowed()).toBe(true);
      ReadRouting.noteWrite();
      expect(ReadRouting.replicaAllowed()).toBe(false);
      ReadRouting.declareReadOnly();
      expect(ReadRouting.replicaAllowed()).toBe(false);
    });
  });

  it('keeps requests apart, through promises', async () => {
    const seen = await Promise.all([
      ReadRouting.run(async () => {
        ReadRouting.declareReadOnly();
        await Promise.resolve();
        return ReadRouting.replicaAllowed();
      }),
      ReadRouting.run(async () => {
        await Promise.resolve();
        return ReadRouting.replicaAllowed();
      }),
    ]);
    expect(seen).toEqual([true, false]);
  });
});

describe(ReadDb.name, () => {
  const readOnly = <T>(work: () => Promise<T>): Promise<T> =>
    ReadRouting.run(() => {
      ReadRouting.declareReadOnly();
      return work();
    });

  it('is the primary without a replica', async () => {
    const primary = new FakeServer('primary');
    const sut = new ReadDb(primary as unknown as DataSource, null);
    await expect(readOnly(() => sut.query('SELECT 1'))).resolves.toEqual([{ server: 'primary' }]);
  });

  it('reads a read-only request’s rows from a usable replica, other requests’ from the primary', async () => {
    const primary = new FakeServer('primary');
    const replica = new FakeServer('replica');
    const sut = new ReadDb(primary as unknown as DataSource, replica as unknown as ReadReplica);

    await expect(readOnly(() => sut.query('SELECT 1'))).resolves.toEqual([{ server: 'replica' }]);
    await expect(ReadRouting.run(() => sut.query('SELECT 2'))).resolves.toEqual([
      { server: 'primary' },
    ]);
  });

  it('asks the primary when the replica is not usable, or cannot answer', async () => {
    const primary = new FakeServer('primary');
    const lagging = Object.assign(new FakeServer('replica'), { usable: () => false });
    const down = new FakeServer('replica', false);

    for (const replica of [lagging, down]) {
      const sut = new ReadDb(primary as unknown as DataSource, replica as unknown as ReadReplica);
      await expect(readOnly(() => sut.query('SELECT 1'))).resolves.toEqual([{ server: 'primary' }]);
    }
    expect(lagging.statements).toEqual([]);
    expect(down.statements).toEqual(['SELECT 1']);
  });
});
