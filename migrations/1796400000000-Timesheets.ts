import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Weekly timesheets with buyer review (issue 13): engagements get a calendar (`starts_on`),
 * logged hours are PENDING until approved or disputed, disputes are recorded, and hours are
 * settled by a payment or a refund transfer (TIME_REFUND is new).
 */

export class Timesheets1796400000000 implements MigrationInterface {
  name = 'Timesheets1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "timesheet" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "engagement_id" uuid NOT NULL,
                "week_start" date NOT NULL,
                "max_hours" smallint NOT NULL,
                "pending_hours" smallint NOT NULL DEFAULT '0',
                "disputed_hours" smallint NOT NULL DEFAULT '0',
                "approved_hours" smallint NOT NULL DEFAULT '0',
                "refunded_hours" smallint NOT NULL DEFAULT '0',
                "review_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "timesheet_week_start_check" CHECK (
                    extract(
                        isodow
                        from week_start
                    ) = 1
                ),
                CONSTRAINT "timesheet_hours_check" CHECK (
                    pending_hours >= 0
                    AND disputed_hours >= 0
                    AND approved_hours >= 0
                    AND refunded_hours >= 0
                    AND pending_hours + disputed_hours + approved_hours + refunded_hours <= max_hours
                ),
                CONSTRAINT "timesheet_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "timesheet_review_due_idx" ON "timesheet" ("review_ends_at")
            WHERE pending_hours > 0
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "timesheet_engagement_week_key" ON "timesheet" ("engagement_id", "week_start")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."dispute_status" AS ENUM(
                'OPEN',
                'CONTESTED',
                'CONCEDED',
                'PAID',
                'REFUNDED'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "timesheet_dispute" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "timesheet_id" uuid NOT NULL,
                "engagement_id" uuid NOT NULL,
                "hours" smallint NOT NULL,
                "status" "public"."dispute_status" NOT NULL DEFAULT 'OPEN',
                "reason" character varying(2000) NOT NULL,
                "opened_by" uuid NOT NULL,
                "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "response" character varying(2000),
                "answered_at" TIMESTAMP WITH TIME ZONE,
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "decision_note" character varying(2000),
                CONSTRAINT "timesheet_dispute_decided_check" CHECK (
                    (status IN ('PAID', 'REFUNDED')) = (
                        decided_by IS NOT NULL
                        AND decided_at IS NOT NULL
                    )
                ),
                CONSTRAINT "timesheet_dispute_hours_check" CHECK (hours > 0),
                CONSTRAINT "timesheet_dispute_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "timesheet_dispute_unresolved_idx" ON "timesheet_dispute" ("seq")
            WHERE status IN ('OPEN', 'CONTESTED')
        `);
    await queryRunner.query(`
            CREATE INDEX "timesheet_dispute_engagement_idx" ON "timesheet_dispute" ("engagement_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "timesheet_dispute_seq_key" ON "timesheet_dispute" ("seq")
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement"
            ADD "starts_on" date
        `);
    // Engagements accepted before the calendar: their weeks start on the Monday of acceptance.
    await queryRunner.query(`
            UPDATE "engagement" SET "starts_on" = date_trunc('week', "created_at" AT TIME ZONE 'UTC')::date
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement" ALTER COLUMN "starts_on" SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD "timesheet_id" uuid
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."time_log_status" AS ENUM('PENDING', 'DISPUTED', 'APPROVED', 'REFUNDED')
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD "status" "public"."time_log_status" NOT NULL DEFAULT 'PENDING'
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD "payee_team_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD "dispute_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD "settled_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."transfer_kind"
            ADD VALUE 'TIME_REFUND'
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_transfer_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ALTER COLUMN "transfer_id" DROP NOT NULL
        `);
    // Hours logged before reviews existed were paid when logged: their weeks are approved
    // (a week may hold more than today's weekly limit, so its limit is what it holds), and
    // each log's payee is the team its payment went to.
    await queryRunner.query(`
            INSERT INTO "timesheet" ("engagement_id", "week_start", "max_hours", "approved_hours", "review_ends_at")
            SELECT l."engagement_id", w.week_start, greatest(g."hours_per_week", sum(l."hours")), sum(l."hours"),
                   w.week_start + interval '12 days'
              FROM "time_log" l
              JOIN "engagement" g ON g."id" = l."engagement_id"
              CROSS JOIN LATERAL (SELECT date_trunc('week', l."work_date")::date AS week_start) w
             GROUP BY l."engagement_id", w.week_start, g."hours_per_week"
        `);
    await queryRunner.query(`
            UPDATE "time_log" l
               SET "timesheet_id" = s."id", "status" = 'APPROVED', "settled_at" = l."created_at",
                   "payee_team_id" = a."owner_id"
              FROM "timesheet" s, "transfer" t, "account" a
             WHERE s."engagement_id" = l."engagement_id"
               AND s."week_start" = date_trunc('week', l."work_date")::date
               AND t."id" = l."transfer_id" AND a."id" = t."to_account_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" ALTER COLUMN "timesheet_id" SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" ALTER COLUMN "payee_team_id" SET NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "time_log_dispute_idx" ON "time_log" ("dispute_id")
            WHERE dispute_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "time_log_timesheet_idx" ON "time_log" ("timesheet_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_disputed_check" CHECK (
                    status <> 'DISPUTED'
                    OR dispute_id IS NOT NULL
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_settled_check" CHECK (
                    (status IN ('APPROVED', 'REFUNDED')) = (
                        transfer_id IS NOT NULL
                        AND settled_at IS NOT NULL
                    )
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet"
            ADD CONSTRAINT "timesheet_engagement_id_fkey" FOREIGN KEY ("engagement_id") REFERENCES "engagement"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute"
            ADD CONSTRAINT "timesheet_dispute_timesheet_id_fkey" FOREIGN KEY ("timesheet_id") REFERENCES "timesheet"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute"
            ADD CONSTRAINT "timesheet_dispute_engagement_id_fkey" FOREIGN KEY ("engagement_id") REFERENCES "engagement"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute"
            ADD CONSTRAINT "timesheet_dispute_opened_by_fkey" FOREIGN KEY ("opened_by") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute"
            ADD CONSTRAINT "timesheet_dispute_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_timesheet_id_fkey" FOREIGN KEY ("timesheet_id") REFERENCES "timesheet"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_payee_team_id_fkey" FOREIGN KEY ("payee_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_dispute_id_fkey" FOREIGN KEY ("dispute_id") REFERENCES "timesheet_dispute"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "transfer"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_transfer_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_dispute_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_payee_team_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_timesheet_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute" DROP CONSTRAINT "timesheet_dispute_decided_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute" DROP CONSTRAINT "timesheet_dispute_opened_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute" DROP CONSTRAINT "timesheet_dispute_engagement_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet_dispute" DROP CONSTRAINT "timesheet_dispute_timesheet_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "timesheet" DROP CONSTRAINT "timesheet_engagement_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_settled_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP CONSTRAINT "time_log_disputed_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."time_log_timesheet_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."time_log_dispute_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ALTER COLUMN "transfer_id"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log"
            ADD CONSTRAINT "time_log_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "transfer"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."transfer_kind_old" AS ENUM(
                'ALLOCATION',
                'PLEDGE',
                'PLEDGE_REFUND',
                'INITIATIVE_FUNDING',
                'INITIATIVE_REFUND',
                'ESCROW_DEPOSIT',
                'TIME_PAYMENT',
                'ESCROW_RETURN'
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "transfer"
            ALTER COLUMN "kind" TYPE "public"."transfer_kind_old" USING "kind"::"text"::"public"."transfer_kind_old"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."transfer_kind"
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."transfer_kind_old"
            RENAME TO "transfer_kind"
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."transfer_kind_old" AS ENUM(
                'ALLOCATION',
                'PLEDGE',
                'PLEDGE_REFUND',
                'INITIATIVE_FUNDING',
                'INITIATIVE_REFUND',
                'ESCROW_DEPOSIT',
                'TIME_PAYMENT',
                'ESCROW_RETURN'
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "account_flow"
            ALTER COLUMN "kind" TYPE "public"."transfer_kind_old" USING "kind"::"text"::"public"."transfer_kind_old"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."transfer_kind"
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."transfer_kind_old"
            RENAME TO "transfer_kind"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP COLUMN "settled_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP COLUMN "dispute_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP COLUMN "payee_team_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP COLUMN "status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."time_log_status"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_log" DROP COLUMN "timesheet_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "engagement" DROP COLUMN "starts_on"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."timesheet_dispute_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."timesheet_dispute_engagement_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."timesheet_dispute_unresolved_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "timesheet_dispute"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."dispute_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."timesheet_engagement_week_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."timesheet_review_due_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "timesheet"
        `);
  }
}
