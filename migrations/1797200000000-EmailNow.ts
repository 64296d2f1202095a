import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Immediate e-mails (issue 15): the EMAIL_NOW channel of a notification kind; a notification
 * records when it was e-mailed on its own, so that it is e-mailed once and never again in a digest.
 */
export class EmailNow1797200000000 implements MigrationInterface {
  name = 'EmailNow1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notification"
            ADD "emailed_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notification" DROP COLUMN "emailed_at"
        `);
  }
}
