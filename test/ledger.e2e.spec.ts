import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../src/common/errors/domain-error.js';
import { Transactions } from '../src/database/transactions.js';
import { AccountKind, TransferKind } from '../src/modules/ledger/ledger.enums.js';
import { LedgerService } from '../src/modules/ledger/ledger.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const ALLOCATE = `mutation($input: AllocateCreditsInput!) {
  allocateCredits(input: $input) { transfer { id amount kind from { kind } to { kind } } team { id balance } }
}`;

describe('Ledger', () => {
  let sut: TestApp;
  let factory: Factory;
  let probe: LedgerProbe;
  let admin: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    probe = new LedgerProbe(sut.dataSource);
    admin = await factory.admin();
  });
  afterAll(() => sut.close());

  const allocate = (input: Record<string, unknown>, token = admin.token) =>
    sut.gql(ALLOCATE, { input }, token);

  it('moves credits from issuance to the team, with an audit event', async () => {
    const team = await factory.team();
    const result = await allocate({ teamId: team.id, amount: 750, memo: 'Q1 budget' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.allocateCredits).toMatchObject({
      transfer: {
        amount: 750,
        kind: 'ALLOCATION',
        from: { kind: 'ISSUANCE' },
        to: { kind: 'TEAM' },
      },
      team: { id: team.id, balance: 750 },
    });
    const events = await sut.dataSource.query(
      `SELECT actor_id, payload FROM event WHERE action = 'ledger.allocate' AND subject_id = $1`,
      [team.id],
    );
    expect(events).toEqual([
      {
        actor_id: admin.employee.id,
        payload: {
          amount: 750,
          memo: 'Q1 budget',
          transferId: result.data!.allocateCredits.transfer.id,
        },
      },
    ]);
  });

  it('keeps the books exact under 200 concurrent allocations', async () => {
    const team = await factory.team();
    const amounts = Array.from({ length: 200 }, (_, i) => i + 1);
    const results = await Promise.all(
      amounts.map((amount) => allocate({ teamId: team.id, amount })),
    );
    expect(results.flatMap(codes)).toEqual([]);
    const expected = amounts.reduce((sum, a) => sum + a, 0);
    expect(await probe.teamBalance(team.id)).toBe(expected);
    expect(await probe.sumOfBalances()).toBe(0);
    expect(await probe.accountsOutOfBalance()).toEqual([]);
  });

  it('moves credits once when the same idempotency key is replayed 20 times concurrently', async () => {
    const team = await factory.team();
    const idempotencyKey = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => allocate({ teamId: team.id, amount: 300, idempotencyKey })),
    );
    expect(results.flatMap(codes)).toEqual([]);
    const transferIds = new Set(results.map((r) => r.data!.allocateCredits.transfer.id));
    expect(transferIds.size).toBe(1);
    expect(await probe.teamBalance(team.id)).toBe(300);
    const [{ count }] = await sut.dataSource.query(
      `SELECT count(*)::int AS count FROM transfer WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    expect(count).toBe(1);
    expect(await probe.sumOfBalances()).toBe(0);
  });

  it('refuses a replayed key with different arguments as CONFLICT, moving nothing', async () => {
    const team = await factory.team();
    const idempotencyKey = randomUUID();
    await allocate({ teamId: team.id, amount: 100, idempotencyKey });
    const changed = await allocate({ teamId: team.id, amount: 101, idempotencyKey });
    expect(changed.errors![0].extensions).toEqual({
      code: 'CONFLICT',
      field: 'input.idempotencyKey',
    });
    expect(await probe.teamBalance(team.id)).toBe(100);
  });

  it("scopes idempotency keys to their caller: another admin's identical key is a new request", async () => {
    const team = await factory.team();
    const otherAdmin = await factory.admin();
    const idempotencyKey = randomUUID();
    await allocate({ teamId: team.id, amount: 40, idempotencyKey });
    const result = await allocate(
      { teamId: team.id, amount: 40, idempotencyKey },
      otherAdmin.token,
    );
    expect(result.errors).toBeUndefined();
    expect(await probe.teamBalance(team.id)).toBe(80);
  });

  it('answers an unknown team with NOT_FOUND and moves nothing', async () => {
    const before = await probe.sumOfBalances();
    const result = await allocate({ teamId: randomUUID(), amount: 10 });
    expect(result.errors![0].extensions).toEqual({ code: 'NOT_FOUND', field: 'input.teamId' });
    expect(await probe.sumOfBalances()).toBe(before);
  });

  describe('transfers between accounts', () => {
    const move = async (from: TeamEntity, to: TeamEntity, amount: number) => {
      const ledger = sut.app.get(LedgerService);
      return sut.app.get(Transactions).run(async (manager) =>
        ledger.transfer(manager, {
          fromAccountId: await ledger.accountIdOf(manager, AccountKind.TEAM, from.id),
          toAccountId: await ledger.accountIdOf(manager, AccountKind.TEAM, to.id),
          amount,
          kind: TransferKind.PLEDGE,
        }),
      );
    };

    it('refuses an overdraft with INSUFFICIENT_FUNDS and changes nothing', async () => {
      const payer = await factory.team({ credits: 50 });
      const payee = await factory.team();
      await expect(move(payer, payee, 51)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(await probe.teamBalance(payer.id)).toBe(50);
      expect(await probe.teamBalance(payee.id)).toBe(0);
    });

    it('lets exactly as many concurrent debits through as the balance covers', async () => {
      const payer = await factory.team({ credits: 100 });
      const payee = await factory.team();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 25 }, () => move(payer, payee, 10)),
      );
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
      expect(refused.every((o) => (o.reason as DomainError).code === 'INSUFFICIENT_FUNDS')).toBe(
        true,
      );
      expect(await probe.teamBalance(payer.id)).toBe(0);
      expect(await probe.teamBalance(payee.id)).toBe(100);
      expect(await probe.sumOfBalances()).toBe(0);
    });

    it('does not deadlock when two teams pay each other at the same time', async () => {
      const a = await factory.team({ credits: 1000 });
      const b = await factory.team({ credits: 1000 });
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? move(a, b, 7) : move(b, a, 7))),
      );
      expect(await probe.teamBalance(a.id)).toBe(1000);
      expect(await probe.teamBalance(b.id)).toBe(1000);
    });
  });

  describe('team books', () => {
    const LEDGER = `query($teamId: ID!) {
      teamLedger(teamId: $teamId) {
        balance team { id }
        entries(first: 10) { totalCount nodes { kind change memo counterparty { kind } } }
      }
    }`;
    const BALANCE = `query($id: ID!) { team(id: $id) { balance } }`;

    it('shows the statement newest first, with signed changes that add up to the balance', async () => {
      const payer = await factory.team({ credits: 500 });
      const payee = await factory.team();
      const ledger = sut.app.get(LedgerService);
      await sut.app.get(Transactions).run(async (manager) =>
        ledger.transfer(manager, {
          fromAccountId: await ledger.accountIdOf(manager, AccountKind.TEAM, payer.id),
          toAccountId: await ledger.accountIdOf(manager, AccountKind.TEAM, payee.id),
          amount: 120,
          kind: TransferKind.PLEDGE,
          memo: 'for an idea',
        }),
      );
      const result = await sut.gql(LEDGER, { teamId: payer.id }, admin.token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.teamLedger).toEqual({
        balance: 380,
        team: { id: payer.id },
        entries: {
          totalCount: 2,
          nodes: [
            { kind: 'PLEDGE', change: -120, memo: 'for an idea', counterparty: { kind: 'TEAM' } },
            { kind: 'ALLOCATION', change: 500, memo: null, counterparty: { kind: 'ISSUANCE' } },
          ],
        },
      });
    });

    it("opens every team's books to admins and leads, and a member's own team to the member", async () => {
      const team = await factory.team({ credits: 90 });
      const member = await factory.person({ team });
      const otherLead = await factory.lead();
      const outsider = await factory.person();
      for (const reader of [admin, member, otherLead]) {
        expect(
          (await sut.gql(LEDGER, { teamId: team.id }, reader.token)).data!.teamLedger.balance,
        ).toBe(90);
        expect((await sut.gql(BALANCE, { id: team.id }, reader.token)).data!.team.balance).toBe(90);
      }
      expect(codes(await sut.gql(LEDGER, { teamId: team.id }, outsider.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await sut.gql(BALANCE, { id: team.id }, outsider.token))).toEqual(['FORBIDDEN']);
    });
  });

  describe('retries', () => {
    /** Makes PostgreSQL itself raise a serialization failure (40001) or a deadlock (40P01). */
    const raise = (manager: EntityManager, code: string) =>
      manager.query(`DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '${code}'; END $$`);

    it('runs the whole unit again after a serialization failure or deadlock, undoing the failed try', async () => {
      const team = await factory.team();
      let attempts = 0;
      await sut.app.get(Transactions).run(async (manager) => {
        attempts++;
        await manager.query(`UPDATE team SET purpose = purpose || '+' WHERE id = $1`, [team.id]);
        if (attempts === 1) await raise(manager, '40001');
        if (attempts === 2) await raise(manager, '40P01');
      });
      expect(attempts).toBe(3);
      const [{ purpose }] = await sut.dataSource.query(`SELECT purpose FROM team WHERE id = $1`, [
        team.id,
      ]);
      expect(purpose).toBe('Testing+');
    });

    it('gives up after a bounded number of tries, and other errors are not retried', async () => {
      const transactions = sut.app.get(Transactions);
      let attempts = 0;
      await expect(
        transactions.run(async (manager) => {
          attempts++;
          await raise(manager, '40001');
        }),
      ).rejects.toMatchObject({ driverError: { code: '40001' } });
      expect(attempts).toBe(5);
      attempts = 0;
      await expect(
        transactions.run(async (manager) => {
          attempts++;
          await raise(manager, '23505');
        }),
      ).rejects.toBeTruthy();
      expect(attempts).toBe(1);
    });
  });
});
