import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provisioning from a directory (issue 14): SCIM bearer tokens (kept as SHA-256 only), the
 * directory's ids for people and teams, a sign-in name apart from the e-mail, and people without
 * a password (they sign in through SSO).
 */
export class Scim1796900000000 implements MigrationInterface {
  name = 'Scim1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "scim_token" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(100) NOT NULL,
                "token_hash" character varying(64) NOT NULL,
                "created_by_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "scim_token_hash_key" UNIQUE ("token_hash"),
                CONSTRAINT "scim_token_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "team"
            ADD "external_id" character varying(255)
        `);
    await queryRunner.query(`
            ALTER TABLE "team"
            ADD CONSTRAINT "team_external_id_key" UNIQUE ("external_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD "user_name" citext
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD CONSTRAINT "employee_user_name_key" UNIQUE ("user_name")
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD "external_id" character varying(255)
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ADD CONSTRAINT "employee_external_id_key" UNIQUE ("external_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ALTER COLUMN "password_hash" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "scim_token"
            ADD CONSTRAINT "scim_token_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "scim_token" DROP CONSTRAINT "scim_token_created_by_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee"
            ALTER COLUMN "password_hash"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP CONSTRAINT "employee_external_id_key"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP COLUMN "external_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP CONSTRAINT "employee_user_name_key"
        `);
    await queryRunner.query(`
            ALTER TABLE "employee" DROP COLUMN "user_name"
        `);
    await queryRunner.query(`
            ALTER TABLE "team" DROP CONSTRAINT "team_external_id_key"
        `);
    await queryRunner.query(`
            ALTER TABLE "team" DROP COLUMN "external_id"
        `);
    await queryRunner.query(`
            DROP TABLE "scim_token"
        `);
  }
}
