import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request has said about its reads so far. */
interface RequestReads {
  /** The request is read-only by nature (a GraphQL query, a CSV export). */
  readOnly: boolean;
  /** The request has begun a transaction: from then on it reads what it wrote, on the primary. */
  wrote: boolean;
}

const storage = new AsyncLocalStorage<RequestReads>();

/**
 * Whether this request's reads may be served by the read replica. Closed by default: only a
 * request that was declared read-only (a GraphQL query operation, a CSV export) and has not
 * begun a transaction may read from it. Everything outside a request (jobs, subscriptions'
 * events, seeding, start-up) has no store and reads from the primary. The answer follows the
 * request through promises and DataLoader batches via AsyncLocalStorage, as StatementCounter's
 * count does.
 */
export const ReadRouting = {
  /** Runs `work` (one HTTP request) with reads on the primary until it is declared read-only. */
  run<T>(work: () => T): T {
    return storage.run({ readOnly: false, wrote: false }, work);
  },

  /** This request changes nothing by its nature: its stale-tolerant reads may use the replica. */
  declareReadOnly(): void {
    const reads = storage.getStore();
    if (reads) reads.readOnly = true;
  },

  /**
   * This request begins a transaction (the unit of work): every read after it goes to the
   * primary, so that the request never reads a state older than its own write.
   */
  noteWrite(): void {
    const reads = storage.getStore();
    if (reads) reads.wrote = true;
  },

  /** True when this request's stale-tolerant reads may go to the replica. */
  replicaAllowed(): boolean {
    const reads = storage.getStore();
    return !!reads && reads.readOnly && !reads.wrote;
  },
};
