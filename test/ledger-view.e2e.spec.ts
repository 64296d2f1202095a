import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

const KINDS = ['ISSUANCE', 'TEAM', 'IDEA_ESCROW', 'INITIATIVE', 'NEED_ESCROW'] as const;
type Kind = (typeof KINDS)[number];

interface Account {
  id: string;
  kind: Kind;
  balance: number;
  team: { id: string } | null;
  idea: { id: string } | null;
  initiative: { id: string } | null;
  need: { id: string } | null;
}

const ACCOUNT_FIELDS = `id kind balance team { id } idea { id } initiative { id } need { id }`;
const TOTALS = `{ ledgerTotals { asOf issued held sum byKind { kind accountCount balance } } }`;

/**
 * The admin's view of the whole ledger, on a database of its own so that its sums are this
 * suite's activity alone: allocations, pledges held in escrow, an approved idea's initiative,
 * and a need's escrow after an accepted bid.
 */
describe('Admin ledger view', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;
  let market: Market;
  let admin: Person;
  let teamA: TeamEntity;
  let teamB: TeamEntity;
  let leadA: Person;
  let leadB: Person;
  let proposer: Person;
  let heldIdea: string;
  let approvedIdea: string;
  let initiativeId: string;
  let needId: string;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({}, database.url);
    factory = new Factory(sut);
    ideas = new Ideas(sut);
    market = new Market(sut, factory);
    admin = await factory.admin();
    teamA = await factory.team({ credits: 1_000 });
    teamB = await factory.team({ credits: 500 });
    leadA = await factory.person({ team: teamA, leads: [teamA] });
    leadB = await factory.person({ team: teamB, leads: [teamB] });
    proposer = await factory.person({ team: teamA });
    // Funded by both teams (200 + 100) and approved: its escrow became the initiative's budget.
    initiativeId = await ideas.initiative(proposer, teamA, leadA, [
      { lead: leadA, team: teamA, amount: 200 },
      { lead: leadB, team: teamB, amount: 100 },
    ]);
    approvedIdea = (
      await sut.gql(
        `query($id: ID!) { initiative(id: $id) { idea { id } } }`,
        { id: initiativeId },
        admin.token,
      )
    ).data!.initiative.idea.id;
    // Pledged to and not yet decided: 50 held in its escrow.
    heldIdea = await ideas.submitted(proposer, teamA, 400);
    expectOk(await ideas.pledge(leadA, heldIdea, teamA.id, 50));
    // A bid of 4 hours a week for 2 weeks at 10 accepted: 80 in the need's escrow.
    needId = await market.postNeed(leadB, teamB);
    const worker = await factory.person({ team: teamA });
    await market.engage(leadB, await market.bid(worker, needId, 4, 10));
  });
  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const asAdmin = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await sut.gql(query, variables, admin.token);
    expectOk(result);
    return result.data!;
  };

  /** Every account the filter selects, walked `pageSize` at a time. */
  async function allAccounts(filter: { kind?: Kind } = {}, pageSize = 3): Promise<Account[]> {
    const accounts: Account[] = [];
    let after: string | null = null;
    for (;;) {
      const data = await asAdmin(
        `query($filter: LedgerAccountFilter, $first: Int!, $after: String) {
           ledgerAccounts(filter: $filter, first: $first, after: $after) {
             totalCount pageInfo { hasNextPage endCursor } nodes { ${ACCOUNT_FIELDS} }
           }
         }`,
        { filter, first: pageSize, after },
      );
      const page = data.ledgerAccounts;
      accounts.push(...page.nodes);
      expect(page.totalCount).toBeGreaterThanOrEqual(accounts.length);
      if (!page.pageInfo.hasNextPage) {
        expect(page.totalCount).toBe(accounts.length);
        return accounts;
      }
      after = page.pageInfo.endCursor;
    }
  }

  /** Every transfer the filter selects, newest first, walked `pageSize` at a time. */
  async function allTransfers(filter: Record<string, unknown> = {}, pageSize = 4) {
    const transfers: { id: string; amount: number; kind: string; at: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const data = await asAdmin(
        `query($filter: LedgerTransferFilter, $first: Int!, $after: String) {
           ledgerTransfers(filter: $filter, first: $first, after: $after) {
             totalCount pageInfo { hasNextPage endCursor } nodes { id amount kind at }
           }
         }`,
        { filter, first: pageSize, after },
      );
      transfers.push(...data.ledgerTransfers.nodes);
      if (!data.ledgerTransfers.pageInfo.hasNextPage) {
        expect(data.ledgerTransfers.totalCount).toBe(transfers.length);
        return transfers;
      }
      after = data.ledgerTransfers.pageInfo.endCursor;
    }
  }

  it('shows totals that balance: what is held is what was issued, and the sum is 0', async () => {
    const { ledgerTotals } = await asAdmin(TOTALS);
    const byKind = Object.fromEntries(
      ledgerTotals.byKind.map((k: { kind: Kind; balance: number; accountCount: number }) => [
        k.kind,
        k,
      ]),
    );
    expect(ledgerTotals.byKind.map((k: { kind: Kind }) => k.kind)).toEqual(KINDS);
    expect(ledgerTotals).toMatchObject({ issued: 1_500, held: 1_500, sum: 0 });
    expect(byKind.ISSUANCE).toEqual({ kind: 'ISSUANCE', accountCount: 1, balance: -1_500 });
    expect(byKind.IDEA_ESCROW.balance).toBe(50);
    expect(byKind.INITIATIVE.balance).toBe(300);
    expect(byKind.NEED_ESCROW.balance).toBe(80);
    expect(byKind.TEAM.balance).toBe(1_500 - 300 - 50 - 80);
    expect(ledgerTotals.sum).toBe(await new LedgerProbe(sut.dataSource).sumOfBalances());
  });

  it("sums each kind's accounts, page by page, to the totals' figures", async () => {
    const { ledgerTotals } = await asAdmin(TOTALS);
    for (const { kind, accountCount, balance } of ledgerTotals.byKind) {
      const accounts = await allAccounts({ kind }, 2);
      expect(accounts.every((account) => account.kind === kind)).toBe(true);
      expect({ kind, accountCount: accounts.length, balance: sumOf(accounts) }).toEqual({
        kind,
        accountCount,
        balance,
      });
    }
  });

  it('pages through every account once, by kind and then oldest first, with its owner', async () => {
    const accounts = await allAccounts({}, 3);
    expect(new Set(accounts.map((a) => a.id)).size).toBe(accounts.length);
    expect(accounts.map((a) => a.kind)).toEqual([...accounts.map((a) => a.kind)].sort());
    expect(sumOf(accounts)).toBe(0);
    const owners = (account: Account) =>
      (['team', 'idea', 'initiative', 'need'] as const).filter((owner) => account[owner]);
    const ownerOf: Record<Kind, string[]> = {
      ISSUANCE: [],
      TEAM: ['team'],
      IDEA_ESCROW: ['idea'],
      INITIATIVE: ['initiative'],
      NEED_ESCROW: ['need'],
    };
    expect(accounts.filter((a) => owners(a).join() !== ownerOf[a.kind].join())).toEqual([]);
    const held = accounts.find((a) => a.idea?.id === heldIdea);
    expect(held).toMatchObject({ kind: 'IDEA_ESCROW', balance: 50 });
    expect(accounts.find((a) => a.idea?.id === approvedIdea)).toMatchObject({ balance: 0 });
    expect(accounts.find((a) => a.initiative?.id === initiativeId)).toMatchObject({
      balance: 300,
    });
    expect(accounts.find((a) => a.need?.id === needId)).toMatchObject({ balance: 80 });
    expect(accounts.find((a) => a.team?.id === teamA.id)).toMatchObject({
      balance: 1_000 - 200 - 50,
    });
  });

  it("shows an idea's escrow on the idea, to whoever may see it", async () => {
    const query = `query($id: ID!) { idea(id: $id) { status pledgedTotal escrowBalance } }`;
    const outsider = await factory.person();
    const held = await sut.gql(query, { id: heldIdea }, outsider.token);
    expectOk(held);
    expect(held.data!.idea).toEqual({ status: 'SUBMITTED', pledgedTotal: 50, escrowBalance: 50 });
    // Approved: what was pledged stays pledged, but the escrow passed to the initiative.
    const approved = await sut.gql(query, { id: approvedIdea }, outsider.token);
    expect(approved.data!.idea).toEqual({
      status: 'APPROVED',
      pledgedTotal: 300,
      escrowBalance: 0,
    });
  });

  it('filters transfers by kind, by account and by day, and pages them newest first', async () => {
    const all = await allTransfers({}, 4);
    expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
    const times = all.map((t) => Date.parse(t.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const allocations = await allTransfers({ kind: 'ALLOCATION' });
    expect(allocations.map((t) => t.amount).sort((a, b) => a - b)).toEqual([500, 1_000]);
    const { ledgerTotals } = await asAdmin(TOTALS);
    expect(sumOf(allocations.map((t) => ({ balance: t.amount })))).toBe(ledgerTotals.issued);
    expect((await allTransfers({ kind: 'PLEDGE' })).map((t) => t.amount).sort()).toEqual(
      [100, 200, 50].sort(),
    );

    // Team A's account: the same transfers as its own statement.
    const accountA = (await allAccounts({ kind: 'TEAM' })).find((a) => a.team?.id === teamA.id)!;
    const mine = await allTransfers({ accountId: accountA.id }, 2);
    const statement = await asAdmin(
      `query($team: ID!) { teamLedger(teamId: $team) { entries(first: 100) { nodes { transferId } } } }`,
      { team: teamA.id },
    );
    expect(mine.map((t) => t.id)).toEqual(
      statement.teamLedger.entries.nodes.map((e: { transferId: string }) => e.transferId),
    );
    expect(mine.map((t) => t.kind).sort()).toEqual(['ALLOCATION', 'PLEDGE', 'PLEDGE'].sort());

    const today = market.today();
    expect(await allTransfers({ madeIn: { from: today, to: today } })).toHaveLength(all.length);
    expect(await allTransfers({ madeIn: { to: '2000-01-01' } })).toEqual([]);
    expect(
      await allTransfers({
        kind: 'ESCROW_DEPOSIT',
        accountId: accountA.id,
        madeIn: { from: today },
      }),
    ).toEqual([]);
  });

  it("names no draft's idea on its escrow account, not even to admins", async () => {
    const draft = await ideas.propose(proposer, teamA, 100, 'A secret plan');
    const escrows = await allAccounts({ kind: 'IDEA_ESCROW' });
    expect(JSON.stringify(escrows)).not.toContain(draft);
    expect(escrows.filter((account) => account.idea === null)).toHaveLength(1);
  });

  it('shows the books to admins only', async () => {
    for (const reader of [leadA, proposer]) {
      for (const query of [
        TOTALS,
        `{ ledgerAccounts { nodes { id } } }`,
        `{ ledgerTransfers { nodes { id } } }`,
      ]) {
        expect(codes(await sut.gql(query, {}, reader.token))).toEqual(['FORBIDDEN']);
      }
    }
  });

  it("shows an account's balance where its owner's balance shows, and ISSUANCE's to admins", async () => {
    const query = `query($team: ID!) { teamLedger(teamId: $team) {
      account { balance } entries(first: 100) { nodes { kind counterparty { kind balance } } }
    } }`;
    const asLead = await sut.gql(query, { team: teamA.id }, leadA.token);
    // The allocation's counterparty is ISSUANCE: its balance is the admins' alone. It alone is
    // withheld (null, FORBIDDEN at its path); the idea escrows the team pledged to show theirs.
    expect(codes(asLead)).toEqual(['FORBIDDEN']);
    expect(asLead.errors![0].path).toEqual([
      'teamLedger',
      'entries',
      'nodes',
      expect.any(Number),
      'counterparty',
      'balance',
    ]);
    const entries = asLead.data!.teamLedger.entries.nodes;
    expect(asLead.data!.teamLedger.account.balance).toBe(1_000 - 200 - 50);
    expect(entries).toContainEqual({
      kind: 'ALLOCATION',
      counterparty: { kind: 'ISSUANCE', balance: null },
    });
    expect(entries).toContainEqual({
      kind: 'PLEDGE',
      counterparty: { kind: 'IDEA_ESCROW', balance: 50 },
    });
    expect((await asAdmin(query, { team: teamA.id })).teamLedger.entries.nodes).toContainEqual({
      kind: 'ALLOCATION',
      counterparty: { kind: 'ISSUANCE', balance: -1_500 },
    });
  });

  it('reads a page of accounts or transfers with their owners in as many statements, however many there are', async () => {
    const OWNERS = `team { name } idea { title } initiative { title } need { title }`;
    const PAGE = `{
      ledgerAccounts(first: 100) { totalCount nodes { kind balance ${OWNERS} } }
      ledgerTransfers(first: 100) { totalCount nodes { amount from { ${OWNERS} } to { ${OWNERS} } } }
    }`;
    const statements = async () => {
      const response = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ query: PAGE }),
      });
      const body = (await response.json()) as { data: any; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return {
        statements: Number(response.headers.get(STATEMENT_COUNT_HEADER)),
        accounts: body.data.ledgerAccounts.totalCount as number,
        transfers: body.data.ledgerTransfers.totalCount as number,
      };
    };
    const before = await statements();
    // More of every kind: teams, ideas with pledges, an initiative, needs with escrow.
    for (let i = 0; i < 3; i++) {
      const team = await factory.team({ credits: 300 });
      const lead = await factory.person({ team, leads: [team] });
      await ideas.initiative(proposer, teamA, leadA, [{ lead, team, amount: 20 }]);
      expectOk(await ideas.pledge(lead, await ideas.submitted(proposer, teamA, 100), team.id, 10));
      const need = await market.postNeed(lead, team);
      await market.engage(lead, await market.bid(await factory.person({ team: teamB }), need));
    }
    const after = await statements();
    expect(after.accounts).toBeGreaterThan(before.accounts + 10);
    expect(after.transfers).toBeGreaterThan(before.transfers + 10);
    // One statement per kind of owner the page holds, besides the fixed ones: a constant
    // bound however many rows there are (which kinds a page of 100 holds varies with the data).
    expect(before.statements).toBeLessThanOrEqual(13);
    expect(after.statements).toBeLessThanOrEqual(13);
    expect((await asAdmin(TOTALS)).ledgerTotals.sum).toBe(0);
  });
});

const sumOf = (accounts: readonly { balance: number }[]): number =>
  accounts.reduce((total, account) => total + account.balance, 0);
