import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log is append-only in the database itself: any UPDATE, DELETE or TRUNCATE of
 * `event` fails, whatever statement or role sends it, so a bug or an injected statement in the
 * application cannot rewrite history. Statement-level triggers: a statement is refused before
 * it touches a row, even one that would match none. (A table owner or superuser can still
 * disable or drop them: see README, "Limits and protections".)
 *
 * TypeORM does not model triggers, so the schema test (migrations against entities) does not
 * see these; test/audit-append-only.e2e.spec.ts checks them.
 */
export class AuditLogAppendOnly1796050442526 implements MigrationInterface {
  name = 'AuditLogAppendOnly1796050442526';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "event_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'restrict_violation',
                HINT = 'The audit log keeps every change; record a new event instead.';
      END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "event_append_only" BEFORE UPDATE OR DELETE ON "event"
        FOR EACH STATEMENT EXECUTE FUNCTION "event_refuse_change"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "event_no_truncate" BEFORE TRUNCATE ON "event"
        FOR EACH STATEMENT EXECUTE FUNCTION "event_refuse_change"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "event_no_truncate" ON "event"`);
    await queryRunner.query(`DROP TRIGGER "event_append_only" ON "event"`);
    await queryRunner.query(`DROP FUNCTION "event_refuse_change"()`);
  }
}
