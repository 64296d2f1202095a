import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type Browser } from 'playwright-core';
import { bidPlacedTopic } from '../src/modules/market/bid.service.js';
import { freePort } from './setup/test-database.js';
import {
  postGraphQL,
  startServiceProcess,
  type ServiceProcess,
} from './support/service-process.js';

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
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('The GraphQL IDE (GraphiQL) on the demo organisation', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let origin: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mbd-graphiql-'));
    service = await startServiceProcess({
      // Through Redis, so the test can see when the page's subscription is listening.
      REDIS_URL: REDIS,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
    });
    origin = new URL(service.graphqlUrl).origin;
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

  async function signIn(email: string): Promise<string> {
    const body = await postGraphQL(
      service!,
      `mutation { login(input: { email: "${email}", password: "demo-password" }) { token } }`,
    );
    return body.data.login.token;
  }

  describe('over HTTP', () => {
    it('answers a browser GET on /graphql with the page, under a strict CSP', async () => {
      const response = await fetch(service!.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('vary')).toMatch(/accept/i);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+';/);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe');
      const html = await response.text();
      expect(html).toContain('<script src="/graphiql/ide.js" type="module"></script>');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
      expect(html).not.toMatch(/https?:\/\//);
      // The page's nonce is the header's, and a new one each time.
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      expect(html).toContain(`nonce="${nonce}"`);
      const again = await fetch(service!.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(again.headers.get('content-security-policy')).not.toContain(nonce);
    });

    it('serves the same page at /graphiql, and its bundle from the service itself', async () => {
      const strip = (html: string) => html.replace(/nonce="[^"]+"/, '');
      const fromGraphql = await (
        await fetch(service!.graphqlUrl, { headers: { accept: 'text/html' } })
      ).text();
      const page = await fetch(`${origin}/graphiql`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(strip(await page.text())).toBe(strip(fromGraphql));
      const script = await fetch(`${origin}/graphiql/ide.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      const styles = await fetch(`${origin}/graphiql/ide.css`);
      expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
      expect((await fetch(`${origin}/graphiql/__proto__`)).status).toBe(404);
    });

    it('still answers GraphQL clients on GET /graphql, CSRF prevention included', async () => {
      const url = `${service!.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
      const preflighted = await fetch(url, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      });
      expect(preflighted.status).toBe(200);
      expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });

      // A plain GET (what a cross-site form or image could send) is refused as before.
      const simple = await fetch(url, { headers: { accept: 'application/json' } });
      expect(simple.status).toBe(400);
      const refused = (await simple.json()) as { errors: { message: string }[] };
      expect(refused.errors[0].message).toMatch(/Cross-Site Request Forgery/);

      // No query at all, JSON or any type: Apollo's answer, not the page.
      for (const accept of ['application/json', '*/*']) {
        const empty = await fetch(service!.graphqlUrl, { headers: { accept } });
        expect(empty.status).toBe(400);
        expect(empty.headers.get('content-type')).toMatch(/^application\/json/);
      }
    });

    it('still answers POST /graphql with JSON, whatever the client accepts', async () => {
      const token = await signIn('maya@example.com');
      const body = await postGraphQL(service!, '{ me { name } }', token);
      expect(body).toEqual({ data: { me: { name: 'Maya Chen' } } });
      const html = await fetch(service!.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/html' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(html.status).toBe(406);
    });
  });

  it('signs in, runs { me { name } } and follows bids live, with no request leaving the service', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

    await page.goto(service!.graphqlUrl);
    await page.waitForSelector('.graphiql-container');
    // GraphiQL's dialogs write a <style> element: allowed by the page's nonce, no CSP error.
    await page.click('button[aria-label="Open settings dialog"]');
    await page.waitForSelector('.graphiql-dialog');
    await page.keyboard.press('Escape');

    await page.fill('input[name=email]', 'maya@example.com');
    await page.fill('input[name=password]', 'demo-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=who]:has-text("Signed in as Maya Chen")');
    expect(
      await page.evaluate(() => (globalThis as any).sessionStorage.getItem('mbd.token')),
    ).toMatch(/^ey/);

    // The first example tab is { me { name } }.
    // GraphiQL 4's editors are CodeMirror 5, which hangs itself on its element.
    const query: string = await page.evaluate(() =>
      (globalThis as any).document
        .querySelector('.graphiql-query-editor .CodeMirror')
        .CodeMirror.getValue(),
    );
    expect(query.replace(/#.*$/gm, '').replace(/\s+/g, ' ').trim()).toBe('{ me { name } }');
    await page.click('.graphiql-execute-button');
    await page.waitForSelector('.graphiql-response :text("Maya Chen")');

    // Docs come from introspection, with the token.
    await page.click('button[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer :text("subscription")');

    // A subscription over graphql-ws, signed in through the connection parameters.
    const token = await signIn('maya@example.com');
    const needs = await postGraphQL(
      service!,
      `{ needs(filter: { status: OPEN }) { nodes { id ratePerHour buyer { ... on Team { name } } } } }`,
      token,
    );
    const need = needs.data.needs.nodes.find(
      (n: { buyer: { name?: string } }) => n.buyer.name === 'Customer Loyalty',
    );
    await page.click('.graphiql-tab >> nth=4');
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(
      `subscription LiveBids { bidPlaced(needId: "${need.id}") { hoursPerWeek bidder { name } } }`,
    );
    // GraphiQL has taken the edit in once its tab is named after the new operation.
    await page.waitForSelector('.graphiql-tab-active :text("LiveBids")');
    const subscribed = new Promise<void>((resolve) =>
      page.on('websocket', (socket) =>
        socket.on('framesent', ({ payload }) => {
          if (String(payload).includes('"type":"subscribe"')) resolve();
        }),
      ),
    );
    await page.click('.graphiql-execute-button');
    await subscribed;
    // The service listens on the need's topic once it has checked the subscriber: wait for that.
    const redis = new Redis(REDIS);
    try {
      const topic = bidPlacedTopic(need.id);
      for (let attempt = 0; ; attempt++) {
        const [, listeners] = (await redis.pubsub('NUMSUB', topic)) as [string, number];
        if (Number(listeners) > 0) break;
        if (attempt > 1_000) throw new Error(`nobody listens on ${topic}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      redis.disconnect();
    }
    const tom = await signIn('tom@example.com');
    const bid = await postGraphQL(
      service!,
      `mutation { placeBid(input: { needId: "${need.id}", hoursPerWeek: 1, ratePerHour: ${need.ratePerHour}, message: "From the IDE test" }) { bid { bidder { name } } } }`,
      tom,
    );
    expect(bid.errors).toBeUndefined();
    await page.waitForSelector(
      `.graphiql-response :text("${bid.data.placeBid.bid.bidder.name as string}")`,
    );

    await page.click('button:has-text("Sign out")');
    await page.waitForSelector('input[name=email]');
    expect(
      await page.evaluate(() => (globalThis as any).sessionStorage.getItem('mbd.token')),
    ).toBeNull();

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('graphiql.png', ARTIFACTS).pathname });
    expect(requests.length).toBeGreaterThan(3);
    const elsewhere = requests.filter(
      (url) =>
        new URL(url).host !== new URL(origin).host || !/^(http|ws):$/.test(new URL(url).protocol),
    );
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });
});
