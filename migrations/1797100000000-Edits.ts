import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Edits with history (issue 15): every edit of an idea, a need, a comment, a milestone or an
 * outcome metric keeps a `revision` (who, when, { field: { from, to } }); comments record when
 * they were edited or deleted, and when and why an admin hid them.
 */
export class Edits1797100000000 implements MigrationInterface {
  name = 'Edits1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "revision" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "subject_type" character varying(50) NOT NULL,
                "subject_id" uuid NOT NULL,
                "editor_id" uuid NOT NULL,
                "changes" jsonb NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "revision_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "revision_subject_idx" ON "revision" ("subject_type", "subject_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "revision_seq_key" ON "revision" ("seq")
        `);
    await queryRunner.query(`
            ALTER TABLE "comment"
            ADD "edited_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "comment"
            ADD "deleted_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "comment"
            ADD "hidden_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "comment"
            ADD "hidden_reason" character varying(2000)
        `);
    await queryRunner.query(`
            ALTER TABLE "comment"
            ADD CONSTRAINT "comment_hidden_check" CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL))
        `);
    await queryRunner.query(`
            ALTER TABLE "revision"
            ADD CONSTRAINT "revision_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "revision" DROP CONSTRAINT "revision_editor_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "comment" DROP CONSTRAINT "comment_hidden_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "comment" DROP COLUMN "hidden_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "comment" DROP COLUMN "hidden_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "comment" DROP COLUMN "deleted_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "comment" DROP COLUMN "edited_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."revision_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."revision_subject_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "revision"
        `);
  }
}
