import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drafts stay their proposer's alone until submitted, whatever becomes of them:
 * - an idea is public once it has been submitted (submitted_at), so a draft withdrawn
 *   unsubmitted stays private; idea_submitted_check makes every status past DRAFT, but
 *   WITHDRAWN, carry its submission time;
 * - skill names nobody has used are kept on the draft (pending_skill_names) and created when it
 *   is submitted, so a draft cannot publish them; once submitted none are left pending.
 */
export class PrivateDrafts1795446000000 implements MigrationInterface {
  name = 'PrivateDrafts1795446000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idea" ADD "pending_skill_names" character varying(100) array NOT NULL DEFAULT '{}'`,
    );
    // The services always set it on submission; a row written otherwise gets its creation time.
    await queryRunner.query(
      `UPDATE "idea" SET submitted_at = created_at WHERE submitted_at IS NULL AND status NOT IN ('DRAFT', 'WITHDRAWN')`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea" ADD CONSTRAINT "idea_submitted_check" CHECK (submitted_at IS NOT NULL OR status IN ('DRAFT', 'WITHDRAWN'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea" ADD CONSTRAINT "idea_pending_skills_check" CHECK (submitted_at IS NULL OR cardinality(pending_skill_names) = 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idea" DROP CONSTRAINT "idea_pending_skills_check"`);
    await queryRunner.query(`ALTER TABLE "idea" DROP CONSTRAINT "idea_submitted_check"`);
    await queryRunner.query(`ALTER TABLE "idea" DROP COLUMN "pending_skill_names"`);
  }
}
