import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { ScimToken } from './scim-token.model.js';

const TOKEN_COLUMNS = `id, name, created_by_id AS "createdById", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** The `scim_token` table: provisioning clients' bearer tokens, by their SHA-256. */
@Injectable()
export class ScimTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Db, name: string, tokenHash: string, createdById: string): Promise<ScimToken> {
    const [token] = await rows<ScimToken>(
      tx,
      `INSERT INTO scim_token (name, token_hash, created_by_id) VALUES ($1, $2, $3)
       RETURNING ${TOKEN_COLUMNS}`,
      [name, tokenHash, createdById],
    );
    return token;
  }

  /** Revokes the token (from now); undefined if there is none, or it was revoked already. */
  revoke(tx: Db, id: string): Promise<ScimToken | undefined> {
    return firstRow<ScimToken>(
      tx,
      `UPDATE scim_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
       RETURNING ${TOKEN_COLUMNS}`,
      [id],
    );
  }

  findById(id: string, db: Db = this.dataSource): Promise<ScimToken | undefined> {
    return firstRow<ScimToken>(db, `SELECT ${TOKEN_COLUMNS} FROM scim_token WHERE id = $1`, [id]);
  }

  /**
   * The live token with this hash, its last use stamped (at most once a minute, so that a
   * provisioning run does not rewrite the row on every request); undefined if none, revoked, or
   * if the admin who created it (whom it acts for) is no longer an active admin.
   */
  async use(tokenHash: string): Promise<ScimToken | undefined> {
    const token = await firstRow<ScimToken>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS} FROM scim_token
        WHERE token_hash = $1 AND revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM employee e
                       WHERE e.id = scim_token.created_by_id
                         AND e.is_admin AND e.deactivated_at IS NULL)`,
      [tokenHash],
    );
    if (token && (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000)) {
      await this.dataSource.query(`UPDATE scim_token SET last_used_at = now() WHERE id = $1`, [
        token.id,
      ]);
    }
    return token;
  }

  /** The newest tokens, at most `limit`. */
  newest(limit: number): Promise<ScimToken[]> {
    return rows<ScimToken>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS} FROM scim_token ORDER BY created_at DESC, id LIMIT $1`,
      [limit],
    );
  }
}
