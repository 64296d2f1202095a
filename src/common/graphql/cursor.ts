import { badInput } from '../errors/domain-error.js';

export type CursorValue = string | number;

/** Opaque to clients: base64url of the sort key of the last row seen. */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, field = 'after'): CursorValue[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(field, `${field} is not a cursor from this list`);
}
