import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for list filters that had none (found by auditing every filter and sort against
 * EXPLAIN on the benchmark organisation):
 * - ideas by status sorted by endorsements or funding walked the sort index and dropped up to
 *   50 000 rows (36-109 ms);
 * - the idea funnel over a period scanned every idea (54 ms);
 * - the audit log by subject id alone scanned the whole subject index; ids are unique across
 *   subject types, so (subject_id, seq) serves it with or without the type, and
 *   (subject_type, seq) serves the type alone, newest first.
 */
export class ListIndexes1795440000000 implements MigrationInterface {
  name = 'ListIndexes1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idea_status_endorsed_idx" ON "idea" ("status", "endorsement_count", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idea_status_funded_idx" ON "idea" ("status", "pledged_total", "seq")`,
    );
    await queryRunner.query(`CREATE INDEX "idea_created_idx" ON "idea" ("created_at")`);
    await queryRunner.query(`DROP INDEX "public"."event_subject_idx"`);
    await queryRunner.query(`CREATE INDEX "event_subject_idx" ON "event" ("subject_id", "seq")`);
    await queryRunner.query(
      `CREATE INDEX "event_subject_type_idx" ON "event" ("subject_type", "seq")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."event_subject_type_idx"`);
    await queryRunner.query(`DROP INDEX "public"."event_subject_idx"`);
    await queryRunner.query(
      `CREATE INDEX "event_subject_idx" ON "event" ("subject_type", "subject_id", "seq")`,
    );
    await queryRunner.query(`DROP INDEX "public"."idea_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."idea_status_funded_idx"`);
    await queryRunner.query(`DROP INDEX "public"."idea_status_endorsed_idx"`);
  }
}
