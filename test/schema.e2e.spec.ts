import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFile, writeFile } from 'node:fs/promises';
import { startTestApp, type TestApp } from './support/test-app.js';

const SCHEMA_FILE = new URL('../schema.gql', import.meta.url);
const HEADER = '# Generated from the code-first schema: `npm run schema:write`. Do not edit.\n\n';

describe('Schema and migrations', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('matches the committed schema.gql (run `npm run schema:write` after changing the API)', async () => {
    const schema = sut.app.get(GraphQLSchemaHost).schema;
    const printed = HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(SCHEMA_FILE, printed);
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    expect(committed).toBe(printed);
  });

  it('has migrations that build exactly the schema the entities describe', async () => {
    const pending = await sut.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
