import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * How many distinct statements one connection prepares at most: statements past it run
 * unnamed (parsed and planned each time) so that no backend's memory grows without bound.
 */
export const MAX_PREPARED_PER_CONNECTION = 300;

/** Statement names by text: computed once per text (the texts are the repositories' SQL). */
const names = new Map<string, string>();
const MAX_NAMES = 5_000;

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `s${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size < MAX_NAMES) names.set(text, name);
  }
  return name;
}

/**
 * A pg client that runs every parameterised statement as a named prepared statement: parsed
 * once per connection, and planned by PostgreSQL's plan cache (plan_cache_mode) rather than
 * afresh on every execution. Statements without parameters (BEGIN, COMMIT, DDL) and those past
 * MAX_PREPARED_PER_CONNECTION go unnamed, as before.
 */
export class PreparingClient extends pg.Client {
  // pg's query() has many overloads; only (text, values[, callback]) is rewritten.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = nameOf(text);
      // What PostgreSQL has parsed on this connection, as pg keeps it (a statement that failed
      // to parse is not there, and is parsed again next time).
      const parsed = (this as unknown as { connection: { parsedStatements: object } }).connection
        .parsedStatements;
      if (name in parsed || Object.keys(parsed).length < MAX_PREPARED_PER_CONNECTION) {
        const rest = args.slice(2);
        return (super.query as (...a: unknown[]) => never)({ name, text, values }, ...rest);
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
