import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findViolations } from '../src/database/invariants.js';
import { PeopleImportService } from '../src/modules/provisioning/import/people-import.service.js';
import { Factory, unique } from './support/factories.js';
import { Market } from './support/market.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 14, "bulk import without an IdP": `npm run import:people -- people.csv [--dry-run]`
 * (the built command, run as a process against the test database) and the service behind it.
 */
const CLI = fileURLToPath(
  new URL('../dist/src/modules/provisioning/import/people-import-cli.js', import.meta.url),
);
const HEADER =
  'email,name,title,home_team,weekly_capacity_hours,member_of,lead_of,active,external_id';

describe('People import', () => {
  let sut: TestApp;
  let factory: Factory;
  const dir = mkdtempSync(path.join(tmpdir(), 'people-import-'));

  /** Runs the command as `npm run import:people` does, on a file holding `lines`. */
  function cli(lines: string[], ...flags: string[]) {
    const file = path.join(dir, `${randomUUID()}.csv`);
    writeFileSync(file, lines.join('\n') + '\n');
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => name !== 'TEST_DATABASE_URL'),
    );
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, file, ...flags],
        {
          env: {
            ...inherited,
            NODE_ENV: 'development',
            DATABASE_URL: process.env.TEST_DATABASE_URL,
            REDIS_URL: '',
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }
  const people = (emails: string[]) =>
    sut.dataSource.query(
      `SELECT e.email, e.name, e.title, e.weekly_capacity_hours AS capacity, t.name AS home,
              e.deactivated_at IS NULL AS active, e.external_id, e.password_hash
         FROM employee e JOIN team t ON t.id = e.home_team_id
        WHERE e.email = ANY($1) ORDER BY e.email`,
      [emails],
    );
  const roles = (email: string) =>
    sut.dataSource.query(
      `SELECT t.name, m.role FROM team_membership m JOIN team t ON t.id = m.team_id
         JOIN employee e ON e.id = m.employee_id WHERE e.email = $1 ORDER BY t.name`,
      [email],
    );

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
  });
  afterEach(async () => {
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('dry-runs, imports, and changes nothing the second time', async () => {
    const tag = randomUUID().slice(0, 8);
    const [ops, support] = [`Ops ${tag}`, `Support ${tag}`];
    const [ana, ben] = [`ana.${tag}@import.example`, `ben.${tag}@import.example`];
    const file = [
      HEADER,
      `${ana},Ana Lima,Engineer,${ops},20,,${ops},,ext-${tag}`,
      `${ben},"Ben Okafor, Jr.",,${ops},,${support},,true,`,
    ];
    const dry = await cli(file, '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`line 2: team ${ops} is created`);
    expect(dry.stdout).toContain(`line 2: ${ana}: joins, in ${ops}`);
    expect(dry.stdout).toContain(`line 2: ${ana}: LEAD of ${ops}`);
    expect(dry.stdout).toContain(`line 3: ${ben}: joins ${support} as MEMBER`);
    expect(dry.stdout).toMatch(/dry run: \d+ change\(s\) would be made; nothing was changed/);
    expect(await people([ana, ben])).toEqual([]);
    expect(await sut.dataSource.query(`SELECT 1 FROM team WHERE name = $1`, [ops])).toEqual([]);

    const applied = await cli(file);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/imported: \d+ change\(s\)/);
    expect(await people([ana, ben])).toEqual([
      {
        email: ana,
        name: 'Ana Lima',
        title: 'Engineer',
        capacity: 20,
        home: ops,
        active: true,
        external_id: `ext-${tag}`,
        password_hash: null,
      },
      {
        email: ben,
        name: 'Ben Okafor, Jr.',
        title: '',
        capacity: 8,
        home: ops,
        active: true,
        external_id: null,
        password_hash: null,
      },
    ]);
    expect(await roles(ana)).toEqual([{ name: ops, role: 'LEAD' }]);
    expect(await roles(ben)).toEqual([
      { name: ops, role: 'MEMBER' },
      { name: support, role: 'MEMBER' },
    ]);

    const again = await cli(file);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toMatch(/no changes: everything is as the file says\.$/);
  }, 60_000);

  it('lists every bad row by line number and imports none of the good ones', async () => {
    const tag = randomUUID().slice(0, 8);
    const good = `good.${tag}@import.example`;
    const result = await cli([
      HEADER,
      `${good},Good Row,,Team ${tag},,,,,`,
      `not-an-email,Bad Mail,,Team ${tag},,,,,`,
      `${good},Twice,,Team ${tag},,,,,`,
      `x.${tag}@import.example,,,,999,,,perhaps,`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was imported');
    expect(result.stderr).toContain('line 3: not-an-email is not an e-mail address');
    expect(result.stderr).toContain(`line 4: ${good} is on line 2 too`);
    expect(result.stderr).toMatch(
      /line 5: name is required; home_team is required; weekly_capacity_hours must be a whole number from 0 to \d+; active must be true or false/,
    );
    expect(await people([good])).toEqual([]);

    const columns = await cli(['mail,name,home_team', 'a@b.example,A,T']);
    expect(columns.code).toBe(1);
    expect(columns.stderr).toContain('line 1: unknown column(s) mail; missing column(s) email');
    const usage = await cli([HEADER], '--force');
    expect(usage.code).toBe(2);
  }, 60_000);

  it('updates, moves and offboards people; a rule broken on any row rolls the whole file back', async () => {
    const importer = sut.app.get(PeopleImportService);
    const market = new Market(sut, factory);
    const home = await factory.team({ name: unique('Home') });
    const next = await factory.team({ name: unique('Next') });
    const stays = await factory.person({ team: home, weeklyCapacityHours: 10 });
    const leaves = await factory.person({ team: home });
    // `busy` has 6 hours a week committed: the file lowers their capacity below that.
    const busy = await factory.person({ team: home, weeklyCapacityHours: 10 });
    const buyer = await market.buyer();
    const need = await market.postNeed(buyer.lead, buyer.team, { hoursPerWeek: 6 });
    await market.engage(buyer.lead, await market.bid(busy, need, 6));
    const row = (person: typeof stays, extra: string) =>
      `${person.employee.email},${person.employee.name},${extra}`;

    const refused = await importer.import(
      [HEADER, row(stays, `Lead,${next.name},12,,,,`), row(busy, `,${home.name},4,,,,`)].join('\n'),
      { dryRun: false, file: 'people.csv' },
    );
    expect(refused.applied).toBe(false);
    expect(refused.errors).toEqual([{ line: 3, message: expect.stringContaining('6') }]);
    const [before] = await people([stays.employee.email]);
    expect(before).toMatchObject({ home: home.name, capacity: 10, title: 'Tester' });

    const applied = await importer.import(
      [HEADER, row(stays, `Lead,${next.name},12,,,,`), row(leaves, `,${home.name},,,,false,`)].join(
        '\n',
      ),
      { dryRun: false, file: 'people.csv' },
    );
    expect(applied.errors).toEqual([]);
    expect(applied.changes).toEqual([
      `line 2: ${stays.employee.email}: title → Lead, weeklyCapacityHours → 12`,
      `line 2: ${stays.employee.email}: moves to ${next.name}`,
      `line 3: ${leaves.employee.email}: deactivated (offboarded)`,
    ]);
    expect(await people([stays.employee.email, leaves.employee.email].sort())).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: stays.employee.email, home: next.name, capacity: 12 }),
        expect.objectContaining({ email: leaves.employee.email, active: false }),
      ]),
    );
    const audit = await sut.dataSource.query(
      `SELECT payload FROM event WHERE action = 'people.import' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit[0].payload).toEqual({ file: 'people.csv', rows: 2, changes: 3 });
  });
});
