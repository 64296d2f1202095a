import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795427064395 implements MigrationInterface {
  name = 'Foundation1795427064395';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // citext: case-insensitive unique team names and e-mail addresses.
    // pg_trgm: indexed substring search on names (`employees(filter: { name })`).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
            CREATE TABLE "idempotency_key" (
                "actor_id" uuid NOT NULL,
                "key" character varying(200) NOT NULL,
                "operation" character varying(100) NOT NULL,
                "request_hash" character(64) NOT NULL,
                "response" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("actor_id", "key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "skill" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(100) NOT NULL,
                "normalized_name" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "skill_normalized_name_key" UNIQUE ("normalized_name"),
                CONSTRAINT "skill_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "team" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" citext NOT NULL,
                "purpose" character varying(2000) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "team_name_key" UNIQUE ("name"),
                CONSTRAINT "team_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "employee" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" citext NOT NULL,
                "name" character varying(200) NOT NULL,
                "title" character varying(200) NOT NULL DEFAULT '',
                "password_hash" character varying(255) NOT NULL,
                "weekly_capacity_hours" smallint NOT NULL DEFAULT '8',
                "home_team_id" uuid NOT NULL,
                "is_admin" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "employee_email_key" UNIQUE ("email"),
                CONSTRAINT "employee_weekly_capacity_hours_check" CHECK (
                    weekly_capacity_hours BETWEEN 0 AND 80
                ),
                CONSTRAINT "employee_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "employee_name_idx" ON "employee" ("name", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "employee_home_team_idx" ON "employee" ("home_team_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "employee_name_trgm_idx" ON "employee" USING gin ("name" gin_trgm_ops)
        `);
    await queryRunner.query(`
            CREATE TABLE "employee_skill" (
                "employee_id" uuid NOT NULL,
                "skill_id" uuid NOT NULL,
                "level" smallint NOT NULL,
                CONSTRAINT "employee_skill_level_check" CHECK (
                    level BETWEEN 1 AND 5
                ),
                CONSTRAINT "employee_skill_pkey" PRIMARY KEY ("employee_id", "skill_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "employee_skill_skill_level_idx" ON "employee_skill" ("skill_id", "level")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."team_role" AS ENUM('MEMBER', 'LEAD')
        `);
    await queryRunner.query(`
            CREATE TABLE "team_membership" (
                "team_id" uuid NOT NULL,
                "employee_id" uuid NOT NULL,
                "role" "public"."team_role" NOT NULL DEFAULT 'MEMBER',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "team_membership_pkey" PRIMARY KEY ("team_id", "employee_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "team_membership_employee_idx" ON "team_membership" ("employee_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "event" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "actor_id" uuid,
                "action" character varying(100) NOT NULL,
                "subject_type" character varying(50) NOT NULL,
                "subject_id" uuid,
                "payload" jsonb NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "event_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "event_action_idx" ON "event" ("action", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "event_subject_idx" ON "event" ("subject_type", "subject_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "event_actor_idx" ON "event" ("actor_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "event_at_idx" ON "event" ("at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "event_seq_key" ON "event" ("seq")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."account_kind" AS ENUM(
                'ISSUANCE',
                'TEAM',
                'IDEA_ESCROW',
                'INITIATIVE',
                'NEED_ESCROW'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "account" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" "public"."account_kind" NOT NULL,
                "owner_id" uuid,
                "balance" bigint NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "account_owner_present" CHECK ((kind = 'ISSUANCE') = (owner_id IS NULL)),
                CONSTRAINT "account_balance_non_negative" CHECK (
                    kind = 'ISSUANCE'
                    OR balance >= 0
                ),
                CONSTRAINT "account_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "account_single_issuance_key" ON "account" ("kind")
            WHERE kind = 'ISSUANCE'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "account_owner_key" ON "account" ("kind", "owner_id")
        `);
    // The one account credits are issued from; its balance is minus everything allocated.
    await queryRunner.query(`INSERT INTO "account" ("kind") VALUES ('ISSUANCE')`);
    await queryRunner.query(`
            CREATE TYPE "public"."transfer_kind" AS ENUM(
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
            CREATE TABLE "transfer" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "from_account_id" uuid NOT NULL,
                "to_account_id" uuid NOT NULL,
                "amount" bigint NOT NULL,
                "kind" "public"."transfer_kind" NOT NULL,
                "idempotency_key" character varying(200),
                "memo" character varying(500),
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "transfer_distinct_accounts" CHECK (from_account_id <> to_account_id),
                CONSTRAINT "transfer_amount_positive" CHECK (amount > 0),
                CONSTRAINT "transfer_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "transfer_to_account_idx" ON "transfer" ("to_account_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "transfer_from_account_idx" ON "transfer" ("from_account_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "transfer_seq_key" ON "transfer" ("seq")
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD CONSTRAINT "employee_home_team_id_fkey" FOREIGN KEY ("home_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "employee_skill"
            ADD CONSTRAINT "employee_skill_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "employee_skill"
            ADD CONSTRAINT "employee_skill_skill_id_fkey" FOREIGN KEY ("skill_id") REFERENCES "skill"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "team_membership"
            ADD CONSTRAINT "team_membership_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "team_membership"
            ADD CONSTRAINT "team_membership_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "transfer"
            ADD CONSTRAINT "transfer_from_account_id_fkey" FOREIGN KEY ("from_account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "transfer"
            ADD CONSTRAINT "transfer_to_account_id_fkey" FOREIGN KEY ("to_account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."employee_name_trgm_idx"`);
    await queryRunner.query(`
            ALTER TABLE "transfer" DROP CONSTRAINT "transfer_to_account_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "transfer" DROP CONSTRAINT "transfer_from_account_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "team_membership" DROP CONSTRAINT "team_membership_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "team_membership" DROP CONSTRAINT "team_membership_team_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee_skill" DROP CONSTRAINT "employee_skill_skill_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee_skill" DROP CONSTRAINT "employee_skill_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP CONSTRAINT "employee_home_team_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."transfer_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."transfer_from_account_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."transfer_to_account_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "transfer"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."transfer_kind"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."account_owner_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."account_single_issuance_key"
        `);
    await queryRunner.query(`
            DROP TABLE "account"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."account_kind"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."event_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."event_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."event_actor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."event_subject_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."event_action_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."team_membership_employee_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "team_membership"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."team_role"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."employee_skill_skill_level_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "employee_skill"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."employee_home_team_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."employee_name_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "employee"
        `);
    await queryRunner.query(`
            DROP TABLE "team"
        `);
    await queryRunner.query(`
            DROP TABLE "skill"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_key"
        `);
  }
}
