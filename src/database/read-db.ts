import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadReplica } from './read-replica.js';
import { ReadRouting } from './read-routing.js';
import type { Db } from './sql.js';

/**
 * Where a repository runs a read that may be a little stale: a dashboard figure, an export, a
 * page of a browsing list. The replica answers when this request may read from it (ReadRouting:
 * a read-only request that has begun no transaction) and the replica is within
 * DATABASE_READ_MAX_LAG_MS of the primary (ReadReplica, measured in the background); otherwise,
 * and whenever the replica fails to answer, the primary does. Without DATABASE_READ_URL it is
 * the primary's pool, as `this.dataSource` is.
 *
 * Only reads outside transactions come here: a transaction's reads go through its own `Tx`, and
 * reads that must be fresh (the actor and their session, anything a decision is made on) keep
 * using the DataSource.
 */
@Injectable()
export class ReadDb implements Db {
  constructor(
    private readonly primary: DataSource,
    @Optional() @Inject(ReadReplica) private readonly replica?: ReadReplica | null,
  ) {}

  async query(sql: string, params?: unknown[]): Promise<unknown> {
    if (this.replica && ReadRouting.replicaAllowed() && this.replica.usable()) {
      const answer = await this.replica.tryQuery(sql, params);
      if (answer) return answer.rows;
    }
    return this.primary.query(sql, params);
  }
}
