import { toConnection, type ConnectionResult } from '../common/graphql/connection.js';
import { decodeCursor, type CursorKey, type CursorValue } from '../common/graphql/cursor.js';

/** Positional parameters for hand-written SQL: `params.add(value)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A column (or expression) a list is sorted by, and what it holds, which cursors must fit. */
export interface SortColumn {
  sql: string;
  holds: CursorKey;
}

/**
 * "After this cursor" for a list sorted by `columns` (all ascending, or all descending):
 * a row-value comparison, whose parameters are added to `params`. A cursor whose values do
 * not fit the columns is refused here, as BAD_USER_INPUT on `after`.
 */
export function cursorCondition(
  columns: readonly SortColumn[],
  after: string | undefined,
  params: SqlParams,
  descending = false,
): string {
  if (!after) return 'TRUE';
  const keys = columns.map((column) => column.holds);
  const placeholders = decodeCursor(after, keys).map((value) => params.add(value));
  const sorted = columns.map((column) => column.sql).join(', ');
  return `(${sorted}) ${descending ? '<' : '>'} (${placeholders.join(', ')})`;
}

export type RunQuery = (sql: string, params: unknown[]) => Promise<unknown>;

export interface KeysetQuery<Row, T = Row> {
  /** Columns to select (`e.id, e.name AS "name"`). */
  select: string;
  /** Tables and joins (`employee e`). */
  from: string;
  /** Filter conditions, ANDed; their parameters come from `params`. */
  where: string[];
  params: SqlParams;
  /** Sort columns; the last one must be unique (an id or a sequence). */
  orderBy: readonly SortColumn[];
  descending?: boolean;
  /** The sort-column values of a row, in `orderBy` order: they become its cursor. */
  sortKey: (node: T) => readonly CursorValue[];
  first: number;
  after?: string;
  /** Converts a raw row (e.g. bigint strings to numbers). */
  map?: (row: Row) => T;
}

/**
 * One page of a list by keyset pagination: `WHERE (sort columns) > (cursor)` with
 * `LIMIT first + 1`, so it costs the same on page 1 and page 1 000, and rows inserted while a
 * client walks the list never make it skip or repeat one. `totalCount` runs only if asked.
 */
export async function keysetPage<Row, T = Row>(
  run: RunQuery,
  query: KeysetQuery<Row, T>,
): Promise<ConnectionResult<T>> {
  const filter = query.where.length ? query.where.join(' AND ') : 'TRUE';
  const filterParams = [...query.params.values];
  const direction = query.descending ? 'DESC' : 'ASC';
  const cursor = cursorCondition(query.orderBy, query.after, query.params, query.descending);
  const limit = query.params.add(query.first + 1);
  const rows = (await run(
    `SELECT ${query.select} FROM ${query.from} WHERE ${filter} AND ${cursor}
     ORDER BY ${query.orderBy.map((column) => `${column.sql} ${direction}`).join(', ')} LIMIT ${limit}`,
    query.params.values,
  )) as Row[];
  const nodes = query.map ? rows.map(query.map) : (rows as unknown as T[]);
  return toConnection(nodes, query.first, query.sortKey, async () => {
    const [{ count }] = (await run(
      `SELECT count(*)::int AS count FROM ${query.from} WHERE ${filter}`,
      filterParams,
    )) as {
      count: number;
    }[];
    return count;
  });
}
