import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { Factory, unique, type Person } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The audit log is append-only in PostgreSQL itself: statements that would rewrite or remove
 * events fail, whoever sends them through the application's own connections (in the test run
 * that role even owns the table and is a superuser; the triggers fire all the same).
 */
describe('The audit log (table event)', () => {
  let sut: TestApp;
  let admin: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await new Factory(sut).admin();
    // Events of this spec's own admin: the only rows its statements aim at.
    for (const name of [unique('Audited'), unique('Audited')]) {
      const created = await sut.gql(
        `mutation($name: String!) { createTeam(input: { name: $name }) { team { id } } }`,
        { name },
        admin.token,
      );
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(() => sut.close());

  /** This admin's events as stored, oldest first. */
  const eventsOfAdmin = (): Promise<unknown[]> =>
    sut.dataSource.query(
      `SELECT id, seq, actor_id, action, subject_type, subject_id, payload, at
         FROM event WHERE actor_id = $1 ORDER BY seq`,
      [admin.employee.id],
    );

  it('refuses to UPDATE an event, changing nothing', async () => {
    const before = await eventsOfAdmin();
    expect(before.length).toBeGreaterThan(0);
    await expect(
      sut.dataSource.query(
        `UPDATE event SET payload = '{"rewritten": true}', actor_id = NULL WHERE actor_id = $1`,
        [admin.employee.id],
      ),
    ).rejects.toThrow(/event is append-only: UPDATE is not allowed/);
    expect(await eventsOfAdmin()).toEqual(before);
  });

  it('refuses to DELETE an event, changing nothing', async () => {
    const before = await eventsOfAdmin();
    await expect(
      sut.dataSource.query(`DELETE FROM event WHERE actor_id = $1`, [admin.employee.id]),
    ).rejects.toThrow(/event is append-only: DELETE is not allowed/);
    expect(await eventsOfAdmin()).toEqual(before);
  });

  it('refuses even an UPDATE or DELETE that matches no row', async () => {
    await expect(sut.dataSource.query(`UPDATE event SET action = 'x' WHERE false`)).rejects.toThrow(
      /append-only/,
    );
    await expect(sut.dataSource.query(`DELETE FROM event WHERE false`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('refuses to TRUNCATE the log, changing nothing', async () => {
    const before = await eventsOfAdmin();
    // In a transaction rolled back whatever happens: should the trigger ever go missing, this
    // test fails without emptying the log under the other test files.
    const runner = sut.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await expect(runner.query(`TRUNCATE event`)).rejects.toThrow(
        /event is append-only: TRUNCATE is not allowed/,
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await eventsOfAdmin()).toEqual(before);
  });

  it('still appends events, through the API and in SQL', async () => {
    const before = await eventsOfAdmin();
    const created = await sut.gql(
      `mutation($name: String!) { createTeam(input: { name: $name }) { team { id } } }`,
      { name: unique('Audited') },
      admin.token,
    );
    expect(created.errors).toBeUndefined();
    await sut.dataSource.query(
      `INSERT INTO event (actor_id, action, subject_type, payload) VALUES ($1, 'test.append', 'Test', '{}')`,
      [admin.employee.id],
    );
    const after = await eventsOfAdmin();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => (e as { action: string }).action)).toEqual([
      'team.create',
      'test.append',
    ]);
  });
  /**
   * As README recommends running the service: a role that does not own `event`, granted what
   * the service needs on the tables and nothing on their sequences (identity columns need
   * none). Roles belong to the whole server, so its name is unique to the run and it is
   * dropped afterwards.
   */
  describe('to a role that does not own it', () => {
    const role = `mbd_audit_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    let owner: pg.Client;
    const connections: pg.Client[] = [];

    const connectAsRole = async (): Promise<pg.Client> => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.username = role;
      url.password = password;
      const client = new pg.Client({ connectionString: url.toString() });
      connections.push(client);
      await client.connect();
      return client;
    };
    let service: pg.Client;

    beforeAll(async () => {
      owner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await owner.connect();
      await owner.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      await owner.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await owner.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
      );
      service = await connectAsRole();
    });
    afterAll(async () => {
      await Promise.all(connections.map((client) => client.end()));
      await owner.query(`DROP OWNED BY ${role}`);
      await owner.query(`DROP ROLE ${role}`);
      await owner.end();
    });

    const eventById = async (id: string): Promise<unknown[]> =>
      (await owner.query(`SELECT seq FROM event WHERE id = $1`, [id])).rows;

    it('refuses an event that chooses its own seq, before or after drawing one', async () => {
      const forge = (seq: number) => {
        const id = randomUUID();
        return {
          id,
          insert: service.query(
            `INSERT INTO event (seq, id, action, subject_type, payload, at) OVERRIDING SYSTEM VALUE
             VALUES ($1, $2, 'team.create', 'Team', '{"forged": true}', '2020-01-01T00:00:00Z')`,
            [seq, id],
          ),
        };
      };
      // First in its session: no value drawn from the sequence yet.
      const first = forge(-1);
      await expect(first.insert).rejects.toMatchObject({
        code: '428C9',
        message: expect.stringMatching(/event\.seq is numbered by the database/),
      });
      expect(await eventById(first.id)).toEqual([]);

      const drawn = await service.query(
        `INSERT INTO event (action, subject_type, payload) VALUES ('test.append', 'Test', '{}') RETURNING seq`,
      );
      const next = forge(Number(drawn.rows[0].seq) + 1);
      await expect(next.insert).rejects.toMatchObject({ code: '428C9' });
      expect(await eventById(next.id)).toEqual([]);
    });

    it('dates every event at its transaction, whatever the insert says', async () => {
      await service.query('BEGIN');
      try {
        const { rows } = await service.query(
          `INSERT INTO event (action, subject_type, payload, at)
           VALUES ('test.backdated', 'Test', '{}', '2020-01-01T00:00:00Z')
           RETURNING at = now() AS "stampedNow", at < '2021-01-01' AS "backdated"`,
        );
        expect(rows).toEqual([{ stampedNow: true, backdated: false }]);
      } finally {
        await service.query('ROLLBACK');
      }
    });

    it('numbers concurrent inserts of every shape from the sequence, refusing none', async () => {
      const marker = `test.concurrent.${randomUUID()}`;
      const clients = [service, ...(await Promise.all([1, 2, 3].map(() => connectAsRole())))];
      const shapes = [
        `INSERT INTO event (action, subject_type, payload) VALUES ($1, 'Test', '{}')`,
        `INSERT INTO event (action, subject_type, payload) VALUES ($1, 'Test', '{}'), ($1, 'Test', '{}'), ($1, 'Test', '{}')`,
        `INSERT INTO event (action, subject_type, payload)
         SELECT $1, 'Test', jsonb_build_object('i', i) FROM generate_series(1, 5) AS i ORDER BY random()`,
        `WITH appended AS (
           INSERT INTO event (action, subject_type, payload) VALUES ($1, 'Test', '{}') RETURNING seq
         ) SELECT seq FROM appended`,
      ];
      const rounds = 40;
      const refused: unknown[] = [];
      // Each connection inserts one statement after another; the connections run side by side.
      await Promise.all(
        clients.map(async (client) => {
          for (let round = 0; round < rounds; round++) {
            await client.query(shapes[round % shapes.length], [marker]).catch((error: unknown) => {
              refused.push(error);
            });
          }
        }),
      );
      expect(refused).toEqual([]);
      const { rows } = await owner.query(
        `SELECT count(*)::int AS events, count(DISTINCT seq)::int AS seqs FROM event WHERE action = $1`,
        [marker],
      );
      const perClient = (rounds / shapes.length) * (1 + 3 + 5 + 1);
      expect(rows).toEqual([
        { events: clients.length * perClient, seqs: clients.length * perClient },
      ]);
    });

    it('may not create a temporary table, so none can hide event from its connection', async () => {
      await expect(
        service.query(`CREATE TEMP TABLE event (LIKE public.event INCLUDING ALL)`),
      ).rejects.toMatchObject({ code: '42501' });
      const { rows } = await service.query(`SELECT to_regclass('pg_temp.event') AS shadow`);
      expect(rows).toEqual([{ shadow: null }]);
    });
  });

  it('writes to public.event even where a temporary table named event shadows it', async () => {
    // The test run's role may still create temporary tables (a superuser, or one granted
    // TEMPORARY): the service names the table it appends to in full. Rolled back, temporary
    // table and all, so the pooled connection goes back as it came.
    const action = `test.shadowed.${randomUUID()}`;
    const runner = sut.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(
        `CREATE TEMP TABLE event (LIKE public.event INCLUDING ALL) ON COMMIT DROP`,
      );
      await sut.app.get(AuditService).record(runner.manager, {
        actorId: admin.employee.id,
        action,
        subjectType: 'Test',
        subjectId: null,
      });
      const counts = await runner.query(
        `SELECT (SELECT count(*)::int FROM public.event WHERE action = $1) AS "inLog",
                (SELECT count(*)::int FROM pg_temp.event WHERE action = $1) AS "inShadow"`,
        [action],
      );
      expect(counts).toEqual([{ inLog: 1, inShadow: 0 }]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
