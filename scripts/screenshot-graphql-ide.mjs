// Takes docs/graphiql.png: the GraphQL IDE signed in as the demo lead, after `{ me { name } }`
// and with the docs open. Run by hand against a running service (`npm start` on the demo data):
//   node scripts/screenshot-graphql-ide.mjs [http://127.0.0.1:3000]
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('console', (message) => console.log(`console.${message.type()}: ${message.text()}`));
  page.on('request', (request) => console.log(`request: ${request.method()} ${request.url()}`));
  await page.goto(`${base}/graphiql`);
  await page.fill('input[name=email]', 'maya@example.com');
  await page.fill('input[name=password]', 'demo-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]:has-text("Maya")');
  await page.click('.graphiql-execute-button');
  await page.waitForSelector('.graphiql-response :text("Maya")');
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer :text("Query")');
  await page.screenshot({ path: new URL('../docs/graphiql.png', import.meta.url).pathname });
  console.log('wrote docs/graphiql.png');
} finally {
  await browser.close();
}
