import type pg from 'pg';

/** Counts the statements every client of the pool sends, however they are sent. */
export function countStatements(pool: pg.Pool): { count: number } {
  const counter = { count: 0 };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      counter.count++;
      return query(...args);
    }) as typeof client.query;
  });
  return counter;
}
