import { MigrationInterface, QueryRunner } from 'typeorm';

export class Market1795429487919 implements MigrationInterface {
  name = 'Market1795429487919';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."need_buyer_kind" AS ENUM('TEAM', 'INITIATIVE')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."need_status" AS ENUM('OPEN', 'FILLED', 'CLOSED', 'CANCELLED')
        `);
    await queryRunner.query(`
            CREATE TABLE "need" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "buyer_kind" "public"."need_buyer_kind" NOT NULL,
                "buyer_id" uuid NOT NULL,
                "buyer_account_id" uuid NOT NULL,
                "escrow_account_id" uuid NOT NULL,
                "posted_by_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "description" character varying(5000) NOT NULL DEFAULT '',
                "hours_per_week" smallint NOT NULL,
                "weeks" smallint NOT NULL,
                "rate_per_hour" integer NOT NULL,
                "accepted_hours_per_week" smallint NOT NULL DEFAULT '0',
                "status" "public"."need_status" NOT NULL DEFAULT 'OPEN',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "filled_at" TIMESTAMP WITH TIME ZONE,
                "closed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "need_accepted_hours_check" CHECK (
                    accepted_hours_per_week BETWEEN 0 AND hours_per_week
                ),
                CONSTRAINT "need_rate_per_hour_check" CHECK (rate_per_hour > 0),
                CONSTRAINT "need_weeks_check" CHECK (
                    weeks BETWEEN 1 AND 104
                ),
                CONSTRAINT "need_hours_per_week_check" CHECK (
                    hours_per_week BETWEEN 1 AND 80
                ),
                CONSTRAINT "need_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "need_buyer_idx" ON "need" ("buyer_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "need_status_idx" ON "need" ("status", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "need_seq_key" ON "need" ("seq")
        `);
    // Full-text search for `needs(filter: { text })`; queries use the same expression.
    await queryRunner.query(`
            CREATE INDEX "need_search_idx" ON "need"
            USING gin (to_tsvector('english', title || ' ' || description))
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."bid_status" AS ENUM('PENDING', 'ACCEPTED', 'REJECTED', 'WITHDRAWN')
        `);
    await queryRunner.query(`
            CREATE TABLE "bid" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "need_id" uuid NOT NULL,
                "bidder_id" uuid NOT NULL,
                "hours_per_week" smallint NOT NULL,
                "rate_per_hour" integer NOT NULL,
                "message" character varying(2000) NOT NULL DEFAULT '',
                "status" "public"."bid_status" NOT NULL DEFAULT 'PENDING',
                "decision_note" character varying(500),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "decided_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "bid_rate_per_hour_check" CHECK (rate_per_hour > 0),
                CONSTRAINT "bid_hours_per_week_check" CHECK (
                    hours_per_week BETWEEN 1 AND 80
                ),
                CONSTRAINT "bid_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "bid_one_live_per_bidder_key" ON "bid" ("need_id", "bidder_id")
            WHERE status IN ('PENDING', 'ACCEPTED')
        `);
    await queryRunner.query(`
            CREATE INDEX "bid_bidder_idx" ON "bid" ("bidder_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "bid_need_idx" ON "bid" ("need_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "bid_seq_key" ON "bid" ("seq")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."engagement_status" AS ENUM('ACTIVE', 'COMPLETED', 'ENDED')
        `);
    await queryRunner.query(`
            CREATE TABLE "engagement" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "bid_id" uuid NOT NULL,
                "need_id" uuid NOT NULL,
                "employee_id" uuid NOT NULL,
                "hours_per_week" smallint NOT NULL,
                "weeks" smallint NOT NULL,
                "rate_per_hour" integer NOT NULL,
                "total_hours" integer NOT NULL,
                "logged_hours" integer NOT NULL DEFAULT '0',
                "status" "public"."engagement_status" NOT NULL DEFAULT 'ACTIVE',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "engagement_logged_hours_check" CHECK (
                    logged_hours BETWEEN 0 AND total_hours
                ),
                CONSTRAINT "engagement_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "engagement_completed_idx" ON "engagement" ("employee_id")
            WHERE status = 'COMPLETED'
        `);
    await queryRunner.query(`
            CREATE INDEX "engagement_employee_idx" ON "engagement" ("employee_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "engagement_need_idx" ON "engagement" ("need_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "engagement_bid_key" ON "engagement" ("bid_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "engagement_seq_key" ON "engagement" ("seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "time_log" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "engagement_id" uuid NOT NULL,
                "hours" smallint NOT NULL,
                "work_date" date NOT NULL,
                "note" character varying(1000) NOT NULL DEFAULT '',
                "transfer_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "time_log_hours_check" CHECK (
                    hours BETWEEN 1 AND 168
                ),
                CONSTRAINT "time_log_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "time_log_engagement_idx" ON "time_log" ("engagement_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "time_log_seq_key" ON "time_log" ("seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "need_skill" (
                "need_id" uuid NOT NULL,
                "skill_id" uuid NOT NULL,
                "min_level" smallint NOT NULL,
                CONSTRAINT "need_skill_min_level_check" CHECK (
                    min_level BETWEEN 1 AND 5
                ),
                CONSTRAINT "need_skill_pkey" PRIMARY KEY ("need_id", "skill_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "need_skill_skill_idx" ON "need_skill" ("skill_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "bid_skill" (
                "bid_id" uuid NOT NULL,
                "skill_id" uuid NOT NULL,
                CONSTRAINT "bid_skill_pkey" PRIMARY KEY ("bid_id", "skill_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "bid_skill_skill_idx" ON "bid_skill" ("skill_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD "committed_hours_per_week" smallint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD CONSTRAINT "employee_capacity_check" CHECK (
                    committed_hours_per_week >= 0
                    AND committed_hours_per_week <= weekly_capacity_hours
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "need"
            ADD CONSTRAINT "need_buyer_account_id_fkey" FOREIGN KEY ("buyer_account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "need"
            ADD CONSTRAINT "need_escrow_account_id_fkey" FOREIGN KEY ("escrow_account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "need"
            ADD CONSTRAINT "need_posted_by_id_fkey" FOREIGN KEY ("posted_by_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bid"
            ADD CONSTRAINT "bid_need_id_fkey" FOREIGN KEY ("need_id") REFERENCES "need"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bid"
            ADD CONSTRAINT "bid_bidder_id_fkey" FOREIGN KEY ("bidder_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement"
            ADD CONSTRAINT "engagement_bid_id_fkey" FOREIGN KEY ("bid_id") REFERENCES "bid"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement"
            ADD CONSTRAINT "engagement_need_id_fkey" FOREIGN KEY ("need_id") REFERENCES "need"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement"
            ADD CONSTRAINT "engagement_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_engagement_id_fkey" FOREIGN KEY ("engagement_id") REFERENCES "engagement"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "transfer"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "need_skill"
            ADD CONSTRAINT "need_skill_need_id_fkey" FOREIGN KEY ("need_id") REFERENCES "need"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "need_skill"
            ADD CONSTRAINT "need_skill_skill_id_fkey" FOREIGN KEY ("skill_id") REFERENCES "skill"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bid_skill"
            ADD CONSTRAINT "bid_skill_bid_id_fkey" FOREIGN KEY ("bid_id") REFERENCES "bid"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bid_skill"
            ADD CONSTRAINT "bid_skill_skill_id_fkey" FOREIGN KEY ("skill_id") REFERENCES "skill"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."need_search_idx"`);
    await queryRunner.query(`
            ALTER TABLE "bid_skill" DROP CONSTRAINT "bid_skill_skill_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "bid_skill" DROP CONSTRAINT "bid_skill_bid_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "need_skill" DROP CONSTRAINT "need_skill_skill_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "need_skill" DROP CONSTRAINT "need_skill_need_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_transfer_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_engagement_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement" DROP CONSTRAINT "engagement_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement" DROP CONSTRAINT "engagement_need_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement" DROP CONSTRAINT "engagement_bid_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "bid" DROP CONSTRAINT "bid_bidder_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "bid" DROP CONSTRAINT "bid_need_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "need" DROP CONSTRAINT "need_posted_by_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "need" DROP CONSTRAINT "need_escrow_account_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "need" DROP CONSTRAINT "need_buyer_account_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP CONSTRAINT "employee_capacity_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP COLUMN "committed_hours_per_week"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bid_skill_skill_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "bid_skill"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."need_skill_skill_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "need_skill"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."time_log_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."time_log_engagement_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "time_log"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."engagement_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."engagement_bid_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."engagement_need_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."engagement_employee_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."engagement_completed_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "engagement"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."engagement_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bid_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bid_need_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bid_bidder_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bid_one_live_per_bidder_key"
        `);
    await queryRunner.query(`
            DROP TABLE "bid"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."bid_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."need_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."need_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."need_buyer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "need"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."need_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."need_buyer_kind"
        `);
  }
}
