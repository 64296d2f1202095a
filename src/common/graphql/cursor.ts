import { badInput } from '../errors/domain-error.js';

export type CursorValue = string | number;

/**
 * What a sort column holds, so that each value of a cursor is checked against it before it
 * reaches SQL: a forged cursor is bad input, never a query PostgreSQL fails.
 */
export type CursorKey = 'integer' | 'bigint' | 'double' | 'text' | 'uuid' | 'timestamp';

/** PostgreSQL's canonical text of a uuid, the only one the service writes into cursors. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A timestamp as sort keys spell it (`to_char(at AT TIME ZONE 'UTC',
 * 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`), within PostgreSQL's range: years 1 to 294276.
 */
const TIMESTAMP = /^(\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const LAST_YEAR = 294_276;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isTimestamp(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return (
    year >= 1 &&
    year <= LAST_YEAR &&
    days !== undefined &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

const fits: Record<CursorKey, (value: unknown) => boolean> = {
  integer: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31,
  // Sequences and sums of credits: as the service reads them, exact JavaScript numbers.
  bigint: (value) => Number.isSafeInteger(value),
  double: (value) => typeof value === 'number' && Number.isFinite(value),
  // PostgreSQL text cannot hold NUL.
  text: (value) => typeof value === 'string' && !value.includes('\0'),
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  timestamp: (value) => typeof value === 'string' && isTimestamp(value),
};

/** Opaque to clients: base64url of the sort key of the last row seen. */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The sort key in `cursor`, one value per key, each fitting its column; else BAD_USER_INPUT. */
export function decodeCursor(
  cursor: string,
  keys: readonly CursorKey[],
  field = 'after',
): CursorValue[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (
    Array.isArray(values) &&
    values.length === keys.length &&
    values.every((value, i) => fits[keys[i]](value))
  ) {
    return values as CursorValue[];
  }
  throw badInput(field, `${field} is not a cursor from this list`);
}
