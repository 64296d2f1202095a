/** Makes user text match literally inside a LIKE / ILIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Where a repository runs its SQL: the pool (the DataSource, one statement on whichever
 * connection is free) or a transaction (the unit of work's `Tx`, or an EntityManager).
 */
export interface Db {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * The rows a statement returned, whatever it was. TypeORM answers UPDATE and DELETE with
 * `[rows, rowCount]` and SELECT / INSERT with the rows alone; rows are objects, never arrays,
 * so the two shapes cannot be confused. Only repositories call this: it is where a row type is
 * asserted, next to the SQL that defines it.
 */
export async function rows<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    if (typeof result[1] === 'number') return result[0] as T[];
  }
  return result as T[];
}

/** The first row a statement returned, if any. */
export async function firstRow<T>(
  db: Db,
  sql: string,
  params: unknown[] = [],
): Promise<T | undefined> {
  const [row] = await rows<T>(db, sql, params);
  return row;
}

/**
 * Rows returned by an UPDATE or DELETE (with RETURNING).
 * @deprecated use `rows`, which reads every statement's answer the same way.
 */
export function modifiedRows<T>(db: Db, sql: string, params: unknown[]): Promise<T[]> {
  return rows<T>(db, sql, params);
}
