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
});
