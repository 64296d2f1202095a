import { MigrationInterface, QueryRunner } from 'typeorm';

/** The ISO week (Monday, UTC) of a time log's work date, as TeamHoursRepository computes it. */
const WEEK = (rows: string) => `date_trunc('week', ${rows}.work_date::timestamp)::date`;

/** One statement's changes of time logs as signed hours per (team, week, state), in key order. */
const delta = (parts: string[]) => `
  INSERT INTO team_hours_week AS s (team_id, week, status, hours)
  SELECT team_id, week, status, sum(hours)
    FROM (${parts.join(' UNION ALL ')}) d
   GROUP BY team_id, week, status
  HAVING sum(hours) <> 0
   ORDER BY team_id, week, status
  ON CONFLICT (team_id, week, status) DO UPDATE SET hours = s.hours + EXCLUDED.hours`;
const added = `SELECT payee_team_id AS team_id, ${WEEK('n')} AS week, status, hours FROM new_rows n`;
const removed = `SELECT payee_team_id, ${WEEK('o')}, status, -hours FROM old_rows o`;

/**
 * Performance (issue 16): the teams' P&L read every time log of the period (a year of a
 * 10 000-person company's logs: teamPnl 150–220 ms, teamLedger 85 ms). Hours per payee team,
 * week and review state are now a summary table kept by statement-level triggers in the same
 * statement as each change of time_log, whichever code makes it; the hours bought and still
 * under review (few) get a partial index.
 */
export class TeamHoursSummary1797300000000 implements MigrationInterface {
  name = 'TeamHoursSummary1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "team_hours_week" (
                "team_id" uuid NOT NULL,
                "week" date NOT NULL,
                "status" "public"."time_log_status" NOT NULL,
                "hours" bigint NOT NULL,
                CONSTRAINT "team_hours_week_pkey" PRIMARY KEY ("team_id", "week", "status")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "team_hours_week_week_idx" ON "team_hours_week" ("week")
        `);
    await queryRunner.query(`
            CREATE INDEX "time_log_review_idx" ON "time_log" ("work_date")
            WHERE status IN ('PENDING', 'DISPUTED')
        `);
    await queryRunner.query(`
            ALTER TABLE "team_hours_week"
            ADD CONSTRAINT "team_hours_week_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Locks: time_log is read and the summary filled while writers of time logs wait, so that
    // no change falls between the backfill and the triggers.
    await queryRunner.query(`LOCK TABLE "time_log" IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`
            INSERT INTO "team_hours_week" (team_id, week, status, hours)
            SELECT payee_team_id, ${WEEK('l')}, status, sum(hours)
              FROM time_log l GROUP BY 1, 2, 3
        `);
    await queryRunner.query(`
            CREATE FUNCTION "time_log_summarise_hours"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                ${delta([added])};
              ELSIF TG_OP = 'UPDATE' THEN
                ${delta([added, removed])};
              ELSE
                ${delta([removed])};
              END IF;
              RETURN NULL;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "time_log_summarise_inserted_hours" AFTER INSERT ON "time_log"
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION "time_log_summarise_hours"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "time_log_summarise_updated_hours" AFTER UPDATE ON "time_log"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION "time_log_summarise_hours"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "time_log_summarise_deleted_hours" AFTER DELETE ON "time_log"
            REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION "time_log_summarise_hours"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['inserted', 'updated', 'deleted']) {
      await queryRunner.query(`DROP TRIGGER "time_log_summarise_${trigger}_hours" ON "time_log"`);
    }
    await queryRunner.query(`DROP FUNCTION "time_log_summarise_hours"()`);
    await queryRunner.query(`
            ALTER TABLE "team_hours_week" DROP CONSTRAINT "team_hours_week_team_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."time_log_review_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."team_hours_week_week_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "team_hours_week"
        `);
  }
}
