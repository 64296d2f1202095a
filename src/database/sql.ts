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

/** Splits a column list at its top-level commas (not those inside parentheses or quotes). */
function splitColumns(columns: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      items.push(columns.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(columns.slice(start).trim());
  return items;
}

/**
 * A repository's column list (`n.id, n.hours_per_week AS "hoursPerWeek", to_char(…) AS "x"`)
 * with every output name prefixed (`"need.id"`), so that one statement can return the columns
 * of several rows it joins (and locks) side by side; `unprefixed` takes one row back out.
 */
export function prefixedColumns(columns: string, prefix: string): string {
  return splitColumns(columns)
    .map((item) => {
      const aliased = /^([\s\S]*)\s+AS\s+"([^"]+)"$/i.exec(item);
      if (aliased) return `${aliased[1]} AS "${prefix}${aliased[2]}"`;
      const bare = /^\w+\.(\w+)$/.exec(item);
      if (!bare) throw new Error(`prefixedColumns: cannot name the column ${item}`);
      return `${item} AS "${prefix}${bare[1]}"`;
    })
    .join(', ');
}

/** The columns of `row` that `prefixedColumns(…, prefix)` named, without their prefix. */
export function unprefixed<T>(row: Record<string, unknown>, prefix: string): T {
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(prefix)) picked[key.slice(prefix.length)] = value;
  }
  return picked as T;
}
