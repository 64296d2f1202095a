import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The market's organisation-wide settings: one row, always there (the migration inserts it;
 * its key can only be `true`). Changing them never touches needs or bids already placed.
 */
@Entity('market_settings')
@Check('market_settings_single_row_check', 'id')
@Check('market_settings_max_rate_per_hour_check', 'max_rate_per_hour BETWEEN 1 AND 10000')
export class MarketSettingsEntity {
  @PrimaryColumn({
    type: 'boolean',
    default: true,
    primaryKeyConstraintName: 'market_settings_pkey',
  })
  id: boolean;

  /** The most any need may offer, or any bid ask, per hour. */
  @Column({ name: 'max_rate_per_hour', type: 'integer', default: 500 })
  maxRatePerHour: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
