import { Injectable } from '@nestjs/common';
import { SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { rows, type Db } from '../../database/sql.js';

/** A team with its ledger account: what a P&L row starts from. */
export interface TeamAccount {
  teamId: string;
  name: string;
  accountId: string;
  balance: number;
}

type TeamAccountRow = Omit<TeamAccount, 'balance'> & { balance: string };

/** Reads teams with their accounts (the team and ledger modules' tables; reads only). */
@Injectable()
export class TeamPnlRepository {
  /** Stale-tolerant reads: the read replica when this request may use it (README). */
  constructor(private readonly reads: ReadDb) {}

  /** The teams with these ids (every team if null), with their accounts, by name. */
  async teamAccounts(teamIds: string[] | null, db: Db = this.reads): Promise<TeamAccount[]> {
    const params = new SqlParams();
    const visible = teamIds === null ? 'TRUE' : `t.id = ANY(${params.add(teamIds)}::uuid[])`;
    const found = await rows<TeamAccountRow>(
      db,
      `SELECT t.id AS "teamId", t.name, a.id AS "accountId", a.balance::text AS balance
         FROM team t JOIN account a ON a.kind = 'TEAM' AND a.owner_id = t.id
        WHERE ${visible}
        ORDER BY t.name`,
      params.values,
    );
    return found.map((row) => ({ ...row, balance: Number(row.balance) }));
  }
}
