import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { MarketSettings } from './models/market-settings.model.js';

const SETTINGS_COLUMNS = `s.max_rate_per_hour AS "maxRatePerHour", s.updated_at AS "updatedAt"`;

/** The one-row `market_settings` table (the migration inserts the row; it is never deleted). */
@Injectable()
export class MarketSettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The settings as they are. Unlocked: a bid or need checked against a maximum that an admin
   * is changing at that moment is simply ordered before the change, which never touches
   * existing needs or bids.
   */
  async current(db: Db = this.dataSource): Promise<MarketSettings> {
    const row = await firstRow<MarketSettings>(
      db,
      `SELECT ${SETTINGS_COLUMNS} FROM market_settings s`,
    );
    if (!row) throw new Error('market_settings has no row: run the migrations');
    return row;
  }

  /** The settings, locked FOR UPDATE: concurrent changes take turns. */
  async lock(tx: Db): Promise<MarketSettings> {
    const row = await firstRow<MarketSettings>(
      tx,
      `SELECT ${SETTINGS_COLUMNS} FROM market_settings s FOR UPDATE`,
    );
    if (!row) throw new Error('market_settings has no row: run the migrations');
    return row;
  }

  async setMaxRatePerHour(tx: Db, maxRatePerHour: number): Promise<MarketSettings> {
    const [row] = await rows<MarketSettings>(
      tx,
      `UPDATE market_settings s SET max_rate_per_hour = $1, updated_at = now()
        RETURNING ${SETTINGS_COLUMNS}`,
      [maxRatePerHour],
    );
    return row;
  }
}
