import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Whether a scrape may read the metrics: always when no token is configured (a port of their
 * own, reachable only where the operator put it), else only with `Authorization: Bearer
 * <token>`, compared in constant time.
 */
export function scrapeAllowed(token: string | undefined, authorization: unknown): boolean {
  if (token === undefined) return true;
  if (typeof authorization !== 'string') return false;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** What a refused scrape is told (RFC 6750). */
export const REFUSED_SCRAPE = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' },
  body: 'A bearer token is required: METRICS_TOKEN\n',
};
