import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What AuditLogAppendOnly left open to a role that may only INSERT (security review):
 *
 * - `INSERT … OVERRIDING SYSTEM VALUE` lets anyone with INSERT choose `seq` (identity ALWAYS
 *   only refuses it without that clause), and `at` is a plain column with a default: an event
 *   could be slipped into the log's past. A BEFORE INSERT trigger now refuses a row whose
 *   `seq` is not the value this session last drew from the column's sequence (what the identity
 *   default has just drawn for this very row), and stamps `at` with the transaction's time.
 *   `currval` is per session, so concurrent inserts never disturb each other; it needs a
 *   privilege on the sequence that the service's role has no other use for (identity columns
 *   need none), hence SECURITY DEFINER, with a search_path that ends in pg_temp.
 * - PUBLIC may create temporary tables, and `pg_temp` comes first in the search path: a
 *   temporary table named `event` hid a connection's later events. TEMPORARY is revoked from
 *   PUBLIC on this database (the service also names `public.event` in full).
 *
 * The table is named `public.event`, as the service names it: the migrations have always put
 * the schema in `public` (its enum types and the down migrations name it), and a schema
 * elsewhere should fail here, at deployment, rather than at the first audited change.
 */
export class AuditLogInsertsStamped1796053205059 implements MigrationInterface {
  name = 'AuditLogInsertsStamped1796053205059';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "public"."event_stamp_insert"() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        drawn bigint;
      BEGIN
        BEGIN
          drawn := currval(pg_get_serial_sequence(TG_RELID::regclass::text, 'seq'));
        EXCEPTION WHEN object_not_in_prerequisite_state THEN
          drawn := NULL; -- nothing drawn in this session yet
        END;
        IF NEW.seq IS DISTINCT FROM drawn THEN
          RAISE EXCEPTION 'event.seq is numbered by the database: an insert may not choose it'
            USING ERRCODE = 'generated_always',
                  HINT = 'Leave seq out, without OVERRIDING SYSTEM VALUE.';
        END IF;
        NEW.at := now();
        RETURN NEW;
      END
      $$
    `);
    // Only ever called as the trigger (which needs no EXECUTE privilege to fire).
    await queryRunner.query(
      `REVOKE EXECUTE ON FUNCTION "public"."event_stamp_insert"() FROM PUBLIC`,
    );
    await queryRunner.query(`
      CREATE TRIGGER "event_stamp_insert" BEFORE INSERT ON "public"."event"
        FOR EACH ROW EXECUTE FUNCTION "public"."event_stamp_insert"()
    `);
    await queryRunner.query(`
      DO $$
      BEGIN
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
        -- Only the database's owner (or a superuser) can: anyone else gets a mere warning.
        IF EXISTS (
          SELECT FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
           WHERE d.datname = current_database() AND a.grantee = 0 AND a.privilege_type = 'TEMPORARY'
        ) THEN
          RAISE EXCEPTION 'PUBLIC may still create temporary tables in database %', current_database()
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('As its owner, run REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC; then migrate again.', current_database());
        END IF;
      END
      $$
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
      END
      $$
    `);
    await queryRunner.query(`DROP TRIGGER "event_stamp_insert" ON "public"."event"`);
    await queryRunner.query(`DROP FUNCTION "public"."event_stamp_insert"()`);
  }
}
