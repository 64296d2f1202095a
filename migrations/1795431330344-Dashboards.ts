import { MigrationInterface, QueryRunner } from 'typeorm';

export class Dashboards1795431330344 implements MigrationInterface {
  name = 'Dashboards1795431330344';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "summary_refresh" (
                "name" character varying(63) NOT NULL,
                "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "summary_refresh_pkey" PRIMARY KEY ("name")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "account_flow" (
                "account_id" uuid NOT NULL,
                "week" date NOT NULL,
                "kind" "public"."transfer_kind" NOT NULL,
                "amount_in" bigint NOT NULL DEFAULT '0',
                "amount_out" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "account_flow_pkey" PRIMARY KEY ("account_id", "week", "kind")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "account_flow_week_idx" ON "account_flow" ("week")
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative"
            ADD "spent" bigint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative"
            ADD "outcome_score" double precision
        `);
    await queryRunner.query(`
            ALTER TABLE "outcome_metric"
            ADD "latest_value" double precision
        `);
    await queryRunner.query(`
            ALTER TABLE "outcome_metric"
            ADD "latest_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "initiative_created_idx" ON "initiative" ("created_at")
        `);
    await queryRunner.query(
      `CREATE INDEX "initiative_member_initiative_idx" ON "initiative_member" ("initiative_id")`,
    );
    await queryRunner.query(`
            ALTER TABLE "account_flow"
            ADD CONSTRAINT "account_flow_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Backfill the summaries from what already happened.
    await queryRunner.query(`
            INSERT INTO account_flow (account_id, week, kind, amount_in, amount_out)
            SELECT account_id, week, kind, sum(amount_in), sum(amount_out) FROM (
                SELECT to_account_id AS account_id, date_trunc('week', at AT TIME ZONE 'UTC')::date AS week, kind,
                       amount AS amount_in, 0 AS amount_out FROM transfer
                UNION ALL
                SELECT from_account_id, date_trunc('week', at AT TIME ZONE 'UTC')::date, kind, 0, amount FROM transfer
            ) moves GROUP BY account_id, week, kind
        `);
    await queryRunner.query(`
            UPDATE initiative i SET spent = coalesce((
                SELECT sum(f.amount_out) FILTER (WHERE f.kind = 'ESCROW_DEPOSIT')
                     - coalesce(sum(f.amount_in) FILTER (WHERE f.kind = 'ESCROW_RETURN'), 0)
                  FROM account_flow f WHERE f.account_id = i.account_id), 0)
        `);
    await queryRunner.query(`
            UPDATE outcome_metric o SET latest_value = m.value, latest_at = m.at
              FROM (SELECT DISTINCT ON (metric_id) metric_id, value, at FROM measurement
                     ORDER BY metric_id, at DESC, id DESC) m
             WHERE m.metric_id = o.id
        `);
    await queryRunner.query(`
            UPDATE initiative i SET outcome_score = (
                SELECT avg(least(1, greatest(0, (o.latest_value - o.baseline) / (o.target - o.baseline))) * 100)
                  FROM outcome_metric o WHERE o.initiative_id = i.id AND o.latest_value IS NOT NULL)
        `);
    // Market statistics by skill and week (Monday, UTC), refreshed concurrently by the
    // service every few seconds: percentiles over a million bids are far too slow to compute
    // per request, and these rows are small enough to aggregate over any range of weeks.
    await queryRunner.query(`
            CREATE MATERIALIZED VIEW market_need_week AS
            SELECT s.skill_id, date_trunc('week', n.created_at AT TIME ZONE 'UTC')::date AS week,
                   count(*)::int AS needs_posted,
                   sum(n.hours_per_week)::int AS hours_posted,
                   count(*) FILTER (WHERE n.filled_at IS NOT NULL)::int AS needs_filled
              FROM need n JOIN need_skill s ON s.need_id = n.id
             GROUP BY 1, 2
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX market_need_week_key ON market_need_week (skill_id, week)`,
    );
    await queryRunner.query(`
            CREATE MATERIALIZED VIEW market_fill_time_week AS
            SELECT s.skill_id, date_trunc('week', n.created_at AT TIME ZONE 'UTC')::date AS week,
                   round(extract(epoch FROM n.filled_at - n.created_at) / 3600)::int AS hours_to_fill,
                   count(*)::int AS needs
              FROM need n JOIN need_skill s ON s.need_id = n.id
             WHERE n.filled_at IS NOT NULL
             GROUP BY 1, 2, 3
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX market_fill_time_week_key ON market_fill_time_week (skill_id, week, hours_to_fill)`,
    );
    await queryRunner.query(`
            CREATE MATERIALIZED VIEW market_rate_week AS
            SELECT s.skill_id, date_trunc('week', b.decided_at AT TIME ZONE 'UTC')::date AS week,
                   b.rate_per_hour AS rate, count(*)::int AS bids
              FROM bid b JOIN need_skill s ON s.need_id = b.need_id
             WHERE b.status = 'ACCEPTED'
             GROUP BY 1, 2, 3
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX market_rate_week_key ON market_rate_week (skill_id, week, rate)`,
    );
    await queryRunner.query(`
            CREATE MATERIALIZED VIEW market_skill_now AS
            SELECT k.id AS skill_id,
                   coalesce(d.open_needs, 0)::int AS open_needs,
                   coalesce(d.open_hours, 0)::int AS open_demand_hours,
                   coalesce(sp.holders, 0)::int AS holders,
                   coalesce(sp.spare, 0)::int AS supply_hours
              FROM skill k
              LEFT JOIN (
                SELECT s.skill_id, count(*) AS open_needs,
                       sum(n.hours_per_week - n.accepted_hours_per_week) AS open_hours
                  FROM need n JOIN need_skill s ON s.need_id = n.id
                 WHERE n.status = 'OPEN'
                 GROUP BY s.skill_id
              ) d ON d.skill_id = k.id
              LEFT JOIN (
                SELECT es.skill_id, count(*) AS holders,
                       sum(greatest(e.weekly_capacity_hours - e.committed_hours_per_week, 0)) AS spare
                  FROM employee_skill es JOIN employee e ON e.id = es.employee_id
                 GROUP BY es.skill_id
              ) sp ON sp.skill_id = k.id
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX market_skill_now_key ON market_skill_now (skill_id)`,
    );
    await queryRunner.query(`
      INSERT INTO summary_refresh (name, refreshed_at)
      SELECT unnest(ARRAY['market_need_week', 'market_fill_time_week', 'market_rate_week', 'market_skill_now']), now()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."initiative_member_initiative_idx"`);
    await queryRunner.query(`DROP MATERIALIZED VIEW market_skill_now`);
    await queryRunner.query(`DROP MATERIALIZED VIEW market_rate_week`);
    await queryRunner.query(`DROP MATERIALIZED VIEW market_fill_time_week`);
    await queryRunner.query(`DROP MATERIALIZED VIEW market_need_week`);
    await queryRunner.query(`
            ALTER TABLE "account_flow" DROP CONSTRAINT "account_flow_account_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_created_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "outcome_metric" DROP COLUMN "latest_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "outcome_metric" DROP COLUMN "latest_value"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative" DROP COLUMN "outcome_score"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative" DROP COLUMN "spent"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."account_flow_week_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "account_flow"
        `);
    await queryRunner.query(`
            DROP TABLE "summary_refresh"
        `);
  }
}
