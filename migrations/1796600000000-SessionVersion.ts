import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions (issue 14): every bearer token carries its employee's session version (`sv`) and is
 * refused once the version has moved on. A password change, a role change and
 * `signOutEverywhere` add one, ending every token issued before. Existing tokens carry no `sv`
 * and count as version 0, so they keep working until their owner's first bump.
 */
export class SessionVersion1796600000000 implements MigrationInterface {
  name = 'SessionVersion1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE employee ADD COLUMN session_version integer NOT NULL DEFAULT 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE employee DROP COLUMN session_version`);
  }
}
