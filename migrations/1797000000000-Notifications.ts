import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Everyday use (issue 15): every employee's inbox (`notification`), what they follow (`follow`),
 * how they want each kind of notification (`notification_preference`), and the daily e-mail
 * digests (`notification_digest`, one per employee and day).
 */
export class Notifications1797000000000 implements MigrationInterface {
  name = 'Notifications1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "follow" (
                "employee_id" uuid NOT NULL,
                "subject_type" character varying(30) NOT NULL,
                "subject_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "follow_pkey" PRIMARY KEY ("employee_id", "subject_type", "subject_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "follow_subject_idx" ON "follow" ("subject_type", "subject_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "notification_digest" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "employee_id" uuid NOT NULL,
                "day" date NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'PENDING',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "notification_digest_employee_day_key" UNIQUE ("employee_id", "day"),
                CONSTRAINT "notification_digest_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notification_preference" (
                "employee_id" uuid NOT NULL,
                "kind" character varying(40) NOT NULL,
                "channel" character varying(20) NOT NULL,
                CONSTRAINT "notification_preference_pkey" PRIMARY KEY ("employee_id", "kind")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notification" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "recipient_id" uuid NOT NULL,
                "kind" character varying(40) NOT NULL,
                "subject_type" character varying(30) NOT NULL,
                "subject_id" uuid NOT NULL,
                "actor_id" uuid,
                "message" character varying(500) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                "digest_id" uuid,
                CONSTRAINT "notification_message_check" CHECK (length(message) > 0),
                CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_unread_idx" ON "notification" ("recipient_id")
            WHERE read_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_inbox_idx" ON "notification" ("recipient_id", "seq")
        `);
    await queryRunner.query(`
            ALTER TABLE "follow"
            ADD CONSTRAINT "follow_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notification_digest"
            ADD CONSTRAINT "notification_digest_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notification_preference"
            ADD CONSTRAINT "notification_preference_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notification"
            ADD CONSTRAINT "notification_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notification" DROP CONSTRAINT "notification_recipient_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "notification_preference" DROP CONSTRAINT "notification_preference_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "notification_digest" DROP CONSTRAINT "notification_digest_employee_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "follow" DROP CONSTRAINT "follow_employee_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_inbox_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_unread_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "notification"
        `);
    await queryRunner.query(`
            DROP TABLE "notification_preference"
        `);
    await queryRunner.query(`
            DROP TABLE "notification_digest"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."follow_subject_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "follow"
        `);
  }
}
