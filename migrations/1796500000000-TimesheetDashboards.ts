import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The market's logged hours by ISO week worked and review state, for marketStats: pending,
 * disputed, approved (paid) and refunded hours and what they are worth. A materialized view
 * like the other market statistics (refreshed by the dashboard's job, CONCURRENTLY: hence the
 * unique index), a few rows per week whatever the number of logs. No existing view classifies
 * transfer kinds, so none needs redefining for TIME_REFUND.
 */
export class TimesheetDashboards1796500000000 implements MigrationInterface {
  name = 'TimesheetDashboards1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The cast to timestamp keeps the session's time zone out of the week (date_trunc on a
    // date goes through timestamptz).
    await queryRunner.query(`
            CREATE MATERIALIZED VIEW market_hours_week AS
            SELECT date_trunc('week', l.work_date::timestamp)::date AS week, l.status,
                   sum(l.hours)::bigint AS hours,
                   sum(l.hours::bigint * g.rate_per_hour)::bigint AS credits
              FROM time_log l JOIN engagement g ON g.id = l.engagement_id
             GROUP BY 1, 2
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX market_hours_week_key ON market_hours_week (week, status)`,
    );
    await queryRunner.query(
      `INSERT INTO summary_refresh (name, refreshed_at) VALUES ('market_hours_week', now())
       ON CONFLICT (name) DO NOTHING`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM summary_refresh WHERE name = 'market_hours_week'`);
    await queryRunner.query(`DROP MATERIALIZED VIEW market_hours_week`);
  }
}
