import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leavers (issue 14): an admin deactivates someone who leaves. Nothing is deleted; the row says
 * since when they may no longer sign in (NULL: active). Reactivation clears it.
 */
export class Leavers1796800000000 implements MigrationInterface {
  name = 'Leavers1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE employee ADD COLUMN deactivated_at timestamptz`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE employee DROP COLUMN deactivated_at`);
  }
}
