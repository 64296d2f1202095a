import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { MAX_PREPARED_PER_CONNECTION } from '../src/database/preparing-client.js';

/**
 * The service's connections run parameterised statements as named prepared statements
 * (src/database/preparing-client.ts): parsed once per connection and planned from
 * PostgreSQL's plan cache. Checked on one connection, through pg_prepared_statements.
 */
describe('prepared statements', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({
      ...dataSourceOptions({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 }),
      entities: [],
      migrations: [],
    });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  const prepared = async (runner = dataSource): Promise<string[]> =>
    (
      (await runner.query(`SELECT statement FROM pg_prepared_statements`)) as {
        statement: string;
      }[]
    ).map((row) => row.statement);

  it('prepares a statement with parameters once and reuses it; runs one without them unnamed', async () => {
    const sql = `SELECT $1::int + 1 AS answer /* prepared-statements.e2e */`;
    expect(await dataSource.query(sql, [41])).toEqual([{ answer: 42 }]);
    expect(await dataSource.query(sql, [1])).toEqual([{ answer: 2 }]);
    await dataSource.query(`SELECT 1 AS unnamed /* prepared-statements.e2e */`);
    const statements = (await prepared()).filter((s) => s.includes('prepared-statements.e2e'));
    expect(statements).toEqual([sql]);
  });

  it('gives a failed statement no name and answers the same error next time', async () => {
    const sql = `SELECT 1 / $1::int AS quotient /* failing */`;
    await expect(dataSource.query(sql, [0])).rejects.toThrow(/division by zero/);
    expect(await dataSource.query(sql, [2])).toEqual([{ quotient: 0 }]);
    await expect(dataSource.query(`SELEC $1::int /* bad syntax */`, [1])).rejects.toThrow(
      /syntax error/,
    );
    await expect(dataSource.query(`SELEC $1::int /* bad syntax */`, [1])).rejects.toThrow(
      /syntax error/,
    );
  });

  it(`prepares at most ${MAX_PREPARED_PER_CONNECTION} statements on a connection; the rest run unnamed`, async () => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) {
      const [row] = (await dataSource.query(`SELECT $1::int + ${i} AS n /* cap */`, [1])) as {
        n: number;
      }[];
      expect(row.n).toBe(i + 1);
    }
    expect((await prepared()).length).toBe(MAX_PREPARED_PER_CONNECTION);
  });
});
