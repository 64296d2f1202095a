import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outcomes are owned and their history is kept (issue 13, item 5).
 *
 * - `outcome_metric.reporter_id`: who records the metric's readings (besides the owner);
 *   existing metrics go to their initiative's owner.
 * - `milestone.assignee_id`: who may complete it (besides the owner); none for existing ones.
 * - `measurement.superseded_by_id` / `correction_reason`: a correction is a new reading; the
 *   one it replaces keeps its value and points at its replacement, with the reason. Current
 *   readings are those with no `superseded_by_id`.
 * - A trigger keeps readings as history: the only change allowed to a row is superseding it
 *   once; every other UPDATE, and any DELETE or TRUNCATE, is refused.
 *
 * No materialized view reads `measurement` (the dashboards read `outcome_metric.latest_value`
 * and `initiative.outcome_score`, kept from current readings by the service), so none needs
 * redefining. TypeORM does not model triggers: test/outcome-integrity.e2e.spec.ts checks them.
 */
export class OutcomeOwnership1796100000000 implements MigrationInterface {
  name = 'OutcomeOwnership1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outcome_metric" ADD "reporter_id" uuid`);
    await queryRunner.query(`
      UPDATE "outcome_metric" o SET "reporter_id" = i."owner_id"
        FROM "initiative" i WHERE i."id" = o."initiative_id"
    `);
    await queryRunner.query(`ALTER TABLE "outcome_metric" ALTER COLUMN "reporter_id" SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE "outcome_metric" ADD CONSTRAINT "outcome_metric_reporter_id_fkey"
        FOREIGN KEY ("reporter_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);

    await queryRunner.query(`ALTER TABLE "milestone" ADD "assignee_id" uuid`);
    await queryRunner.query(`
      ALTER TABLE "milestone" ADD CONSTRAINT "milestone_assignee_id_fkey"
        FOREIGN KEY ("assignee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);

    await queryRunner.query(`ALTER TABLE "measurement" ADD "superseded_by_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "measurement" ADD "correction_reason" character varying(500)`,
    );
    await queryRunner.query(`
      ALTER TABLE "measurement" ADD CONSTRAINT "measurement_correction_check"
        CHECK ((superseded_by_id IS NULL) = (correction_reason IS NULL) AND superseded_by_id <> id)
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "measurement_superseded_by_key" ON "measurement" ("superseded_by_id")`,
    );
    await queryRunner.query(`
      ALTER TABLE "measurement" ADD CONSTRAINT "measurement_superseded_by_id_fkey"
        FOREIGN KEY ("superseded_by_id") REFERENCES "measurement"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);

    await queryRunner.query(`
      CREATE FUNCTION "measurement_keep_history"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE'
           AND OLD.superseded_by_id IS NULL AND NEW.superseded_by_id IS NOT NULL
           AND (NEW.id, NEW.metric_id, NEW.value, NEW.at, NEW.recorded_by_id, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.metric_id, OLD.value, OLD.at, OLD.recorded_by_id, OLD.created_at)
        THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'measurement history is kept: % is not allowed', TG_OP
          USING ERRCODE = 'restrict_violation',
                HINT = 'Correct a reading with a new one that supersedes it.';
      END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "measurement_keep_history" BEFORE UPDATE ON "measurement"
        FOR EACH ROW EXECUTE FUNCTION "measurement_keep_history"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "measurement_no_delete" BEFORE DELETE OR TRUNCATE ON "measurement"
        FOR EACH STATEMENT EXECUTE FUNCTION "measurement_keep_history"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "measurement_no_delete" ON "measurement"`);
    await queryRunner.query(`DROP TRIGGER "measurement_keep_history" ON "measurement"`);
    await queryRunner.query(`DROP FUNCTION "measurement_keep_history"()`);
    await queryRunner.query(
      `ALTER TABLE "measurement" DROP CONSTRAINT "measurement_superseded_by_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."measurement_superseded_by_key"`);
    await queryRunner.query(
      `ALTER TABLE "measurement" DROP CONSTRAINT "measurement_correction_check"`,
    );
    await queryRunner.query(`ALTER TABLE "measurement" DROP COLUMN "correction_reason"`);
    await queryRunner.query(`ALTER TABLE "measurement" DROP COLUMN "superseded_by_id"`);
    await queryRunner.query(`ALTER TABLE "milestone" DROP CONSTRAINT "milestone_assignee_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "milestone" DROP COLUMN "assignee_id"`);
    await queryRunner.query(
      `ALTER TABLE "outcome_metric" DROP CONSTRAINT "outcome_metric_reporter_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "outcome_metric" DROP COLUMN "reporter_id"`);
  }
}
