import { BatchLoader, groupedByKey } from '../common/graphql/request-loaders.js';
import { cursorCondition, SqlParams } from './keyset.js';
import { rows, type Db } from './sql.js';

/** One page of the rows that hang off one subject (its comments, its revisions). */
export interface SubjectPage {
  subjectType: string;
  subjectId: string;
  first: number;
  after?: string;
}

/**
 * A table of rows that hang off subjects: `subject_type`, `subject_id` and a `seq` that orders
 * them, read as `alias.…` by `columns`.
 */
export interface SubjectRows<T> {
  table: string;
  alias: string;
  columns: string;
  /** The SQL type of `subject_type` (an enum's name, or text). */
  subjectTypeSql: string;
  /** By `seq`: newest first, or oldest first. */
  newestFirst: boolean;
  toRow: (row: never) => T;
}

/**
 * Pages of several subjects' rows in one statement per page shape (subject type, size and
 * cursor): every `comments` or `revisions` of a list costs one statement, not one a subject.
 * Each page holds up to `first + 1` rows, so the connection can tell whether more follow.
 * `db` is where to read (a repository's DataSource, asked for when the batch runs).
 */
export function subjectPageLoader<P extends SubjectPage, T extends { subjectId: string }>(
  db: () => Db,
  source: SubjectRows<T>,
): BatchLoader<P, T[], string> {
  const { table, alias, columns, newestFirst } = source;
  return new BatchLoader<P, T[], string>(
    async (pages) => {
      const groups = new Map<string, P[]>();
      for (const page of pages) {
        const key = `${page.subjectType}:${page.first}:${page.after ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), page]);
      }
      const results = new Map<P, T[]>();
      for (const group of groups.values()) {
        const { subjectType, first, after } = group[0];
        const subjectIds = group.map((page) => page.subjectId);
        const params = new SqlParams();
        const type = params.add(subjectType);
        const subjects = params.add(subjectIds);
        const limit = params.add(first + 1);
        const seq = `${alias}.seq`;
        const cursor = cursorCondition([{ sql: seq, holds: 'bigint' }], after, params, newestFirst);
        const found = await rows<never>(
          db(),
          `SELECT * FROM (
             SELECT ${columns},
                    row_number() OVER (PARTITION BY ${alias}.subject_id
                                       ORDER BY ${seq}${newestFirst ? ' DESC' : ''}) AS position
               FROM ${table} ${alias}
              WHERE ${alias}.subject_type = ${type}::${source.subjectTypeSql}
                AND ${alias}.subject_id = ANY(${subjects}::uuid[]) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        );
        const bySubject = groupedByKey(subjectIds, found.map(source.toRow), (r) => r.subjectId);
        group.forEach((page, i) => results.set(page, bySubject[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    {
      cacheKeyFn: (page) =>
        `${page.subjectType}:${page.subjectId}:${page.first}:${page.after ?? ''}`,
    },
  );
}

/** How many rows each subject has, in one statement. Key: `${subjectType}:${subjectId}`. */
export function subjectCountLoader(
  db: () => Db,
  source: Pick<SubjectRows<unknown>, 'table' | 'subjectTypeSql'>,
): BatchLoader<string, number> {
  return new BatchLoader<string, number>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const counted = await rows<{ key: string; count: number }>(
      db(),
      `SELECT subject_type || ':' || subject_id AS key, count(*)::int AS count FROM ${source.table}
        WHERE (subject_type, subject_id) IN (
          SELECT t::${source.subjectTypeSql}, i FROM unnest($1::text[], $2::uuid[]) AS u(t, i))
        GROUP BY subject_type, subject_id`,
      [pairs.map(([type]) => type), pairs.map(([, id]) => id)],
    );
    const counts = new Map(counted.map((r) => [r.key, r.count]));
    return keys.map((key) => counts.get(key) ?? 0);
  });
}
