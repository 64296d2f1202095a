import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When each materialized view was last refreshed: dashboards say how fresh their numbers are. */
@Entity('summary_refresh')
export class SummaryRefreshEntity {
  @PrimaryColumn({ type: 'varchar', length: 63, primaryKeyConstraintName: 'summary_refresh_pkey' })
  name: string;

  @Column({ name: 'refreshed_at', type: 'timestamptz' })
  refreshedAt: Date;
}
