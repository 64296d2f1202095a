import DataLoader from 'dataloader';
import { notFound } from '../errors/domain-error.js';

/**
 * How to batch one kind of lookup. Services declare these as fields; each GraphQL request gets
 * its own DataLoader per definition (see RequestLoaders), so caching never crosses requests.
 */
export class BatchLoader<K, V, C = K> {
  constructor(
    readonly batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
    readonly options: DataLoader.Options<K, V, C> = {},
  ) {}
}

export class RequestLoaders {
  private readonly loaders = new Map<BatchLoader<unknown, unknown>, DataLoader<unknown, unknown>>();

  get<K, V, C>(definition: BatchLoader<K, V, C>): DataLoader<K, V, C> {
    let loader = this.loaders.get(definition as BatchLoader<unknown, unknown>);
    if (!loader) {
      loader = new DataLoader<K, V, C>(definition.batch, definition.options) as DataLoader<
        unknown,
        unknown
      >;
      this.loaders.set(definition as BatchLoader<unknown, unknown>, loader);
    }
    return loader as unknown as DataLoader<K, V, C>;
  }

  /**
   * Loads something that must exist (a reference the database guarantees, such as a need's
   * buyer); NOT_FOUND, not a crash on `!`, if it does not (deleted between two statements).
   */
  async loadRequired<K, V, C>(
    definition: BatchLoader<K, V | null, C>,
    key: K,
    what: string,
  ): Promise<V> {
    const value = await this.get(definition).load(key);
    if (value === null || value === undefined) throw notFound(what);
    return value;
  }
}

/** Orders looked-up rows as the keys were asked for; a missing key gets `missing`. */
export function byKey<K, V, M = null>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
  missing: M = null as M,
): (V | M)[] {
  const found = new Map<K, V>();
  for (const row of rows) found.set(keyOf(row), row);
  return keys.map((key) => (found.has(key) ? found.get(key)! : missing));
}

/** Groups looked-up rows under the keys they belong to, in the rows' order. */
export function groupedByKey<K, V>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
