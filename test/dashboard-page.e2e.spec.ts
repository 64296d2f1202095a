import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { freePort } from './setup/test-database.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('The /dashboard page on the demo organisation (headless Chromium)', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mbd-dashboard-'));
    service = await startServiceProcess({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function api(query: string, token?: string): Promise<any> {
    const response = await fetch(service!.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('signs in and draws outcomes, market, funnel and P&L with the numbers the API gives', async () => {
    const { login } = await api(
      `mutation { login(input: { email: "maya@example.com", password: "demo-password" }) { token } }`,
    );
    const expected = await api(
      `{ marketStats(first: 12) { skills { skill { name } openDemandHoursPerWeek supplyHoursPerWeek } }
         ideaFunnel { steps { reached } }
         teamPnl { totals { net } teams(first: 100) { totalCount } } }`,
      login.token,
    );

    const page = await browser!.newPage({ viewport: { width: 1280, height: 1600 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    await page.goto(service!.graphqlUrl.replace('/graphql', '/dashboard'));
    await page.fill('input[name=email]', 'maya@example.com');
    await page.fill('input[name=password]', 'demo-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]');

    expect(await page.textContent('[data-testid=who]')).toBe('Signed in as Maya Chen');
    expect(await page.textContent('[data-testid=total-funded]')).toBe('6,000');
    expect(await page.textContent('[data-testid=total-initiatives]')).toBe('1');
    const initiative = page.locator('[data-testid=initiative]');
    expect(await initiative.count()).toBe(1);
    expect(await initiative.locator('h3').textContent()).toBe('Customer Service for Anything');
    expect(await initiative.locator('.metric').count()).toBe(3);

    const charts = await page.evaluate(() => {
      const all = (globalThis as unknown as { dashboardCharts: Record<string, any> })
        .dashboardCharts;
      const data = (name: string) => ({
        labels: all[name].data.labels,
        datasets: all[name].data.datasets.map((d: { data: unknown[] }) => d.data),
      });
      return {
        market: data('market'),
        funnel: data('funnel'),
        sparklines: Object.keys(all).filter((name) => name.startsWith('sparkline:')).length,
      };
    });
    const skills = expected.marketStats.skills;
    expect(charts.market.labels).toEqual(skills.map((s: any) => s.skill.name));
    expect(charts.market.datasets).toEqual([
      skills.map((s: any) => s.openDemandHoursPerWeek),
      skills.map((s: any) => s.supplyHoursPerWeek),
    ]);
    expect(charts.funnel.datasets[0]).toEqual(expected.ideaFunnel.steps.map((s: any) => s.reached));
    expect(charts.funnel.datasets[0]).toEqual([5, 5, 2, 1]); // the demo draft counts nowhere
    expect(charts.sparklines).toBe(3);
    const pnlRows = await page.locator('[data-testid=pnl-table] tr').allTextContents();
    expect(pnlRows).toHaveLength(expected.teamPnl.teams.totalCount + 2); // header, teams, all teams
    expect(pnlRows.at(-1)).toContain(
      new Intl.NumberFormat('en').format(expected.teamPnl.totals.net),
    );

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
  });
});
