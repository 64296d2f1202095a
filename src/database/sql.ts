/** Makes user text match literally inside a LIKE / ILIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Rows returned by an UPDATE or DELETE (with RETURNING). TypeORM answers those statements
 * with `[rows, rowCount]` rather than the rows alone, unlike SELECT and INSERT.
 */
export async function modifiedRows<T>(
  runner: Queryable,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const [rows] = (await runner.query(sql, params)) as [T[], number];
  return rows;
}
