import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Budgets are ceilings (issue 13, item 4): no bid may ask more than its need's rate, needs'
 * rates only rise, and no rate may pass the organisation's maximum.
 *
 * The per-need rule is kept by the service under the need's row lock (a bid is checked against
 * its need when placed and again when accepted); a constraint cannot span the two tables. This
 * migration adds the one-row `market_settings` table holding the maximum, 500 credits an hour to
 * start with (the API's hard bound stays 10 000). Existing needs and bids are not changed: a
 * pending bid above its need's rate, placed before this, can only be accepted once the buyer
 * raises the need's rate to it (acceptBid refuses it with CONFLICT until then).
 */
export class BudgetCeilings1796200000000 implements MigrationInterface {
  name = 'BudgetCeilings1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "market_settings" (
        "id" boolean NOT NULL DEFAULT true,
        "max_rate_per_hour" integer NOT NULL DEFAULT 500,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "market_settings_single_row_check" CHECK (id),
        CONSTRAINT "market_settings_max_rate_per_hour_check" CHECK (max_rate_per_hour BETWEEN 1 AND 10000),
        CONSTRAINT "market_settings_pkey" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`INSERT INTO "market_settings" DEFAULT VALUES`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "market_settings"`);
  }
}
