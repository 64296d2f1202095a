import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` (scripts/build-graphql-ide.mjs) writes the page and its bundle. */
function bundleDirectory(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'dist/graphql-ide');
}

const BUNDLE_DIR = bundleDirectory();

/** A Map, not an object: a name like `constructor` or `__proto__` must find nothing. */
export const IDE_ASSETS = new Map<string, { file: string; type: string }>([
  ['ide.js', { file: path.join(BUNDLE_DIR, 'ide.js'), type: 'text/javascript; charset=utf-8' }],
  ['ide.css', { file: path.join(BUNDLE_DIR, 'ide.css'), type: 'text/css; charset=utf-8' }],
]);

/**
 * Only the page's own script and styles (GraphiQL's fonts are data: URLs inside its CSS), and
 * requests to this origin only: GraphQL over HTTP, and graphql-ws on the same path ('self'
 * covers ws:/wss: to the page's own host). Nothing inline, no eval, no frames.
 */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The page's own CSP adds one nonce for styles: GraphiQL's dialogs (Radix, through
 * react-style-singleton) write a small <style> element of computed sizes that no hash can
 * name. The page hands the nonce to that library (ide.js); scripts stay 'self' only.
 */
const pageCsp = (nonce: string): string =>
  IDE_CSP.replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`);

let template: string | undefined;

/** The IDE's page, under its own CSP; a clear answer when the bundle was never built. */
export function sendIdePage(response: Response): void {
  response.setHeader('cache-control', 'no-store');
  const page = path.join(BUNDLE_DIR, 'index.html');
  if (template === undefined && existsSync(page)) template = readFileSync(page, 'utf8');
  if (template === undefined) {
    response.setHeader('content-security-policy', IDE_CSP);
    response
      .status(503)
      .type('text/plain')
      .send('The GraphQL IDE has not been built: run `npm run build`.');
    return;
  }
  const nonce = randomBytes(16).toString('base64');
  response.setHeader('content-security-policy', pageCsp(nonce));
  response.type('html').send(template.replace('{{CSP_NONCE}}', nonce));
}

/**
 * Whether a request to /graphql is a browser asking for a page rather than a GraphQL client:
 * it prefers HTML to every type a GraphQL response comes in (Apollo's own test for its
 * landing page). No Accept, or `*` / `*`, is a GraphQL client.
 */
export function prefersHtml(request: Request): boolean {
  return (
    request.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
    'text/html'
  );
}
