import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdeasAndInitiatives1795430187917 implements MigrationInterface {
  name = 'IdeasAndInitiatives1795430187917';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."comment_subject" AS ENUM('IDEA', 'NEED', 'INITIATIVE')
        `);
    await queryRunner.query(`
            CREATE TABLE "comment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "subject_type" "public"."comment_subject" NOT NULL,
                "subject_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "body" character varying(5000) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "comment_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "comment_subject_idx" ON "comment" ("subject_type", "subject_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "comment_seq_key" ON "comment" ("seq")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."initiative_status" AS ENUM('ACTIVE', 'COMPLETED', 'CANCELLED')
        `);
    await queryRunner.query(`
            CREATE TABLE "initiative" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "owner_id" uuid NOT NULL,
                "sponsor_team_id" uuid NOT NULL,
                "account_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "summary" character varying(5000) NOT NULL DEFAULT '',
                "budget" bigint NOT NULL,
                "status" "public"."initiative_status" NOT NULL DEFAULT 'ACTIVE',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "finish_note" character varying(2000),
                CONSTRAINT "initiative_budget_check" CHECK (budget > 0),
                CONSTRAINT "initiative_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "initiative_owner_idx" ON "initiative" ("owner_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "initiative_sponsor_idx" ON "initiative" ("sponsor_team_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "initiative_status_idx" ON "initiative" ("status", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "initiative_seq_key" ON "initiative" ("seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "initiative_funder" (
                "initiative_id" uuid NOT NULL,
                "team_id" uuid NOT NULL,
                "amount" bigint NOT NULL,
                CONSTRAINT "initiative_funder_amount_check" CHECK (amount > 0),
                CONSTRAINT "initiative_funder_pkey" PRIMARY KEY ("initiative_id", "team_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "initiative_funder_team_idx" ON "initiative_funder" ("team_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."idea_status" AS ENUM(
                'DRAFT',
                'SUBMITTED',
                'FUNDED',
                'APPROVED',
                'REJECTED',
                'WITHDRAWN'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "idea" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "proposer_id" uuid NOT NULL,
                "sponsor_team_id" uuid NOT NULL,
                "escrow_account_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "problem" character varying(5000) NOT NULL DEFAULT '',
                "proposal" character varying(5000) NOT NULL DEFAULT '',
                "expected_outcomes" character varying(5000) NOT NULL DEFAULT '',
                "funding_goal" bigint NOT NULL,
                "pledged_total" bigint NOT NULL DEFAULT '0',
                "hours_per_week_needed" smallint,
                "endorsement_count" integer NOT NULL DEFAULT '0',
                "status" "public"."idea_status" NOT NULL DEFAULT 'DRAFT',
                "initiative_id" uuid,
                "decision_reason" character varying(2000),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "funded_at" TIMESTAMP WITH TIME ZONE,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "idea_endorsement_count_check" CHECK (endorsement_count >= 0),
                CONSTRAINT "idea_pledged_within_goal" CHECK (
                    pledged_total BETWEEN 0 AND funding_goal
                ),
                CONSTRAINT "idea_funding_goal_check" CHECK (funding_goal > 0),
                CONSTRAINT "idea_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "idea_initiative_key" ON "idea" ("initiative_id")
            WHERE initiative_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_funded_idx" ON "idea" ("pledged_total", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_endorsed_idx" ON "idea" ("endorsement_count", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_proposer_idx" ON "idea" ("proposer_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_sponsor_idx" ON "idea" ("sponsor_team_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_status_idx" ON "idea" ("status", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "idea_seq_key" ON "idea" ("seq")
        `);
    // Similar ideas: trigram similarity of titles, and full-text search over the whole text.
    await queryRunner.query(`
            CREATE INDEX "idea_title_trgm_idx" ON "idea" USING gin ("title" gin_trgm_ops)
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_search_idx" ON "idea" USING gin (
                to_tsvector('english', title || ' ' || problem || ' ' || proposal || ' ' || expected_outcomes)
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "idea_skill" (
                "idea_id" uuid NOT NULL,
                "skill_id" uuid NOT NULL,
                CONSTRAINT "idea_skill_pkey" PRIMARY KEY ("idea_id", "skill_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_skill_skill_idx" ON "idea_skill" ("skill_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "endorsement" (
                "idea_id" uuid NOT NULL,
                "employee_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "endorsement_pkey" PRIMARY KEY ("idea_id", "employee_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "endorsement_employee_idx" ON "endorsement" ("employee_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "pledge" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "idea_id" uuid NOT NULL,
                "team_id" uuid NOT NULL,
                "pledged_by_id" uuid NOT NULL,
                "amount" bigint NOT NULL,
                "transfer_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pledge_amount_positive" CHECK (amount > 0),
                CONSTRAINT "pledge_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_team_idx" ON "pledge" ("team_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_idea_idx" ON "pledge" ("idea_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "pledge_seq_key" ON "pledge" ("seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "initiative_member" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "initiative_id" uuid NOT NULL,
                "employee_id" uuid NOT NULL,
                "hours_per_week" smallint NOT NULL,
                "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "left_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "initiative_member_hours_check" CHECK (
                    hours_per_week BETWEEN 0 AND 80
                ),
                CONSTRAINT "initiative_member_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "initiative_member_employee_idx" ON "initiative_member" ("employee_id")
            WHERE left_at IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "initiative_member_active_key" ON "initiative_member" ("initiative_id", "employee_id")
            WHERE left_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "milestone" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "initiative_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "due_date" date,
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "completed_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "milestone_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "milestone_initiative_idx" ON "milestone" ("initiative_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "milestone_seq_key" ON "milestone" ("seq")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."metric_direction" AS ENUM('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')
        `);
    await queryRunner.query(`
            CREATE TABLE "outcome_metric" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "initiative_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "unit" character varying(30) NOT NULL DEFAULT '',
                "baseline" double precision NOT NULL,
                "target" double precision NOT NULL,
                "direction" "public"."metric_direction" NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "outcome_metric_target_check" CHECK (target <> baseline),
                CONSTRAINT "outcome_metric_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "outcome_metric_name_key" ON "outcome_metric" ("initiative_id", "name")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "outcome_metric_seq_key" ON "outcome_metric" ("seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "measurement" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "metric_id" uuid NOT NULL,
                "value" double precision NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_by_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "measurement_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "measurement_metric_idx" ON "measurement" ("metric_id", "at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "comment"
            ADD CONSTRAINT "comment_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative"
            ADD CONSTRAINT "initiative_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative"
            ADD CONSTRAINT "initiative_sponsor_team_id_fkey" FOREIGN KEY ("sponsor_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative"
            ADD CONSTRAINT "initiative_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_funder"
            ADD CONSTRAINT "initiative_funder_initiative_id_fkey" FOREIGN KEY ("initiative_id") REFERENCES "initiative"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_funder"
            ADD CONSTRAINT "initiative_funder_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea"
            ADD CONSTRAINT "idea_proposer_id_fkey" FOREIGN KEY ("proposer_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea"
            ADD CONSTRAINT "idea_sponsor_team_id_fkey" FOREIGN KEY ("sponsor_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea"
            ADD CONSTRAINT "idea_escrow_account_id_fkey" FOREIGN KEY ("escrow_account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea"
            ADD CONSTRAINT "idea_initiative_id_fkey" FOREIGN KEY ("initiative_id") REFERENCES "initiative"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_skill"
            ADD CONSTRAINT "idea_skill_idea_id_fkey" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_skill"
            ADD CONSTRAINT "idea_skill_skill_id_fkey" FOREIGN KEY ("skill_id") REFERENCES "skill"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "endorsement"
            ADD CONSTRAINT "endorsement_idea_id_fkey" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "endorsement"
            ADD CONSTRAINT "endorsement_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge"
            ADD CONSTRAINT "pledge_idea_id_fkey" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge"
            ADD CONSTRAINT "pledge_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge"
            ADD CONSTRAINT "pledge_pledged_by_id_fkey" FOREIGN KEY ("pledged_by_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge"
            ADD CONSTRAINT "pledge_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "transfer"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_member"
            ADD CONSTRAINT "initiative_member_initiative_id_fkey" FOREIGN KEY ("initiative_id") REFERENCES "initiative"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_member"
            ADD CONSTRAINT "initiative_member_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "milestone"
            ADD CONSTRAINT "milestone_initiative_id_fkey" FOREIGN KEY ("initiative_id") REFERENCES "initiative"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "milestone"
            ADD CONSTRAINT "milestone_completed_by_id_fkey" FOREIGN KEY ("completed_by_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "outcome_metric"
            ADD CONSTRAINT "outcome_metric_initiative_id_fkey" FOREIGN KEY ("initiative_id") REFERENCES "initiative"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement"
            ADD CONSTRAINT "measurement_metric_id_fkey" FOREIGN KEY ("metric_id") REFERENCES "outcome_metric"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement"
            ADD CONSTRAINT "measurement_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idea_search_idx"`);
    await queryRunner.query(`DROP INDEX "public"."idea_title_trgm_idx"`);
    await queryRunner.query(`
            ALTER TABLE "measurement" DROP CONSTRAINT "measurement_recorded_by_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement" DROP CONSTRAINT "measurement_metric_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "outcome_metric" DROP CONSTRAINT "outcome_metric_initiative_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "milestone" DROP CONSTRAINT "milestone_completed_by_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "milestone" DROP CONSTRAINT "milestone_initiative_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_member" DROP CONSTRAINT "initiative_member_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_member" DROP CONSTRAINT "initiative_member_initiative_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge" DROP CONSTRAINT "pledge_transfer_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge" DROP CONSTRAINT "pledge_pledged_by_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge" DROP CONSTRAINT "pledge_team_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge" DROP CONSTRAINT "pledge_idea_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "endorsement" DROP CONSTRAINT "endorsement_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "endorsement" DROP CONSTRAINT "endorsement_idea_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_skill" DROP CONSTRAINT "idea_skill_skill_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_skill" DROP CONSTRAINT "idea_skill_idea_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea" DROP CONSTRAINT "idea_initiative_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea" DROP CONSTRAINT "idea_escrow_account_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea" DROP CONSTRAINT "idea_sponsor_team_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea" DROP CONSTRAINT "idea_proposer_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_funder" DROP CONSTRAINT "initiative_funder_team_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative_funder" DROP CONSTRAINT "initiative_funder_initiative_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative" DROP CONSTRAINT "initiative_account_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative" DROP CONSTRAINT "initiative_sponsor_team_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "initiative" DROP CONSTRAINT "initiative_owner_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "comment" DROP CONSTRAINT "comment_author_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."measurement_metric_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "measurement"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outcome_metric_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outcome_metric_name_key"
        `);
    await queryRunner.query(`
            DROP TABLE "outcome_metric"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."metric_direction"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."milestone_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."milestone_initiative_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "milestone"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_member_active_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_member_employee_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "initiative_member"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_idea_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_team_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."endorsement_employee_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "endorsement"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_skill_skill_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_skill"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_sponsor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_proposer_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_endorsed_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_funded_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_initiative_key"
        `);
    await queryRunner.query(`
            DROP TABLE "idea"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."idea_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_funder_team_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "initiative_funder"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_sponsor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."initiative_owner_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "initiative"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."initiative_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comment_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comment_subject_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "comment"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."comment_subject"
        `);
  }
}
