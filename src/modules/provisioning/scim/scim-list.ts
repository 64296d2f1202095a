import { invalidValue } from './scim-error.js';
import { MAX_PAGE, SCHEMA } from './scim-schemas.js';

/** A list request's window (RFC 7644 §3.4.2.4): 1-based startIndex, count capped at MAX_PAGE. */
export interface Window {
  startIndex: number;
  count: number;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value)) {
    throw invalidValue(`${name} must be an integer`);
  }
  return Number(value);
}

/** startIndex below 1 counts as 1, a negative count as 0 (as the RFC says). */
export function windowOf(query: Record<string, unknown>): Window {
  const startIndex = Math.max(1, integer(query.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_PAGE, Math.max(0, integer(query.count, 'count') ?? MAX_PAGE));
  return { startIndex, count };
}

export const listResponse = (
  total: number,
  window: Window,
  resources: Record<string, unknown>[],
) => ({
  schemas: [SCHEMA.listResponse],
  totalResults: total,
  startIndex: window.startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

/** A query parameter that must be a single string when given (filter, attributes…). */
export function textParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidValue(`${name} must be given once, as text`);
  return value;
}
