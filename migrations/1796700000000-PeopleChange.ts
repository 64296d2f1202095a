import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Joiners and movers (issue 14): teams can be archived (`team.archived_at`), and an admin can
 * move credits between teams (transfer kind ADMIN_TRANSFER, new).
 */
export class PeopleChange1796700000000 implements MigrationInterface {
  name = 'PeopleChange1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "team"
            ADD "archived_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."transfer_kind"
            ADD VALUE 'ADMIN_TRANSFER'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."transfer_kind_old" AS ENUM(
                'ALLOCATION',
                'PLEDGE',
                'PLEDGE_REFUND',
                'INITIATIVE_FUNDING',
                'INITIATIVE_REFUND',
                'ESCROW_DEPOSIT',
                'TIME_PAYMENT',
                'TIME_REFUND',
                'ESCROW_RETURN'
            )
        `);
    for (const table of ['transfer', 'account_flow']) {
      await queryRunner.query(`
            ALTER TABLE "${table}"
            ALTER COLUMN "kind" TYPE "public"."transfer_kind_old" USING "kind"::"text"::"public"."transfer_kind_old"
        `);
    }
    await queryRunner.query(`
            DROP TYPE "public"."transfer_kind"
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."transfer_kind_old"
            RENAME TO "transfer_kind"
        `);
    await queryRunner.query(`
            ALTER TABLE "team" DROP COLUMN "archived_at"
        `);
  }
}
