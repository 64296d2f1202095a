import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layering rules of docs/ARCHITECTURE.md, checked on the source text: SQL lives only in
 * repositories (and the database layer under them), a module writes or locks only its own
 * tables, every transaction is the unit of work's, and files stay small enough to read.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

const files = sourceFiles('src').map((file) => ({
  file,
  text: readFileSync(path.join(root, file), 'utf8'),
}));

const isRepository = (file: string): boolean => file.endsWith('.repository.ts');
/** The database layer itself: the data source, migrations, the embedded server, the SQL helpers. */
const isDatabaseLayer = (file: string): boolean => file.startsWith('src/database/');
/** The one class that hands a transaction to repositories (Tx.query delegates to it). */
const UNIT_OF_WORK = 'src/common/unit-of-work/unit-of-work.ts';

/** `src/modules/market/…` → `modules/market`; `src/common/idempotency/…` → `common/idempotency`. */
const moduleOf = (file: string): string => file.split('/').slice(1, 3).join('/');

/** The template literals of a file (SQL is always written in them). */
const templates = (text: string): string[] => text.match(/`(?:[^`\\]|\\.)*`/g) ?? [];
const SQL =
  /\b(SELECT\s[\s\S]*\sFROM|INSERT\s+INTO|UPDATE\s+\w+(\s+\w+)?\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS\s*\()\b/i;

/** Table → the module that declares its entity (and so owns it). */
const owners = new Map<string, string>();
for (const { file, text } of files) {
  for (const match of text.matchAll(/@Entity\(\s*'(\w+)'/g)) owners.set(match[1], moduleOf(file));
}

/** Tables a statement writes or locks (FOR UPDATE / FOR SHARE). */
function writtenTables(sql: string): string[] {
  const tables: string[] = [];
  const name = String.raw`(?:public\.)?(\w+)`;
  for (const pattern of [
    new RegExp(String.raw`INSERT\s+INTO\s+${name}`, 'gi'),
    new RegExp(String.raw`\bUPDATE\s+${name}(?:\s+(?:AS\s+)?\w+)?\s+SET\b`, 'gi'),
    new RegExp(String.raw`DELETE\s+FROM\s+${name}`, 'gi'),
  ]) {
    for (const match of sql.matchAll(pattern)) tables.push(match[1]);
  }
  const lock = /FOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE)(?:\s+OF\s+(\w+))?/i.exec(sql);
  if (lock) {
    const aliases = new Map<string, string>();
    for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(?:public\.)?(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
      aliases.set(m[2] ?? m[1], m[1]);
      aliases.set(m[1], m[1]);
    }
    const first = /\bFROM\s+(?:public\.)?(\w+)/i.exec(sql)?.[1];
    const locked = lock[1] ? aliases.get(lock[1]) : first;
    if (locked) tables.push(locked);
  }
  return tables.filter((table) => owners.has(table));
}

describe('architecture', () => {
  it('finds the tables and the repositories it checks', () => {
    expect(owners.get('need')).toBe('modules/market');
    expect(owners.get('account')).toBe('modules/ledger');
    expect(writtenTables('UPDATE need n SET status = $2 WHERE id = $1')).toEqual(['need']);
    expect(
      writtenTables('SELECT b.id FROM bid b JOIN need n ON n.id = b.need_id FOR UPDATE OF n'),
    ).toEqual(['need']);
  });

  it('runs SQL only in repositories and the database layer', () => {
    const offenders = files
      .filter(({ file }) => !isRepository(file) && !isDatabaseLayer(file) && file !== UNIT_OF_WORK)
      .filter(
        ({ text }) =>
          /\.query\s*[(<]|createQueryBuilder|getRepository\(|\bmodifiedRows\b/.test(text) ||
          templates(text).some((literal) => SQL.test(literal)),
      )
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it("never writes or locks another module's table", () => {
    const trespasses = files
      .filter(({ file }) => !isDatabaseLayer(file))
      .flatMap(({ file, text }) =>
        templates(text).flatMap((sql) =>
          writtenTables(sql)
            .filter((table) => owners.get(table) !== moduleOf(file))
            .map((table) => `${file} writes ${table} (owned by ${owners.get(table)})`),
        ),
      );
    expect(trespasses).toEqual([]);
  });

  it('opens transactions only through the unit of work', () => {
    const offenders = files
      .filter(({ file }) => file !== UNIT_OF_WORK && file !== 'src/database/transactions.ts')
      .filter(({ text }) => /\btransactions\.run\(|\.transaction\(|startTransaction\(/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('keeps rows and their casts inside repositories', () => {
    const offenders = files
      .filter(({ file }) => !isRepository(file) && !isDatabaseLayer(file))
      .filter(({ text }) => /\bas\s+\w*Row\[\]|\bas\s+\w*Row\b/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('keeps entities for migrations: nothing else imports them or speaks EntityManager', () => {
    const offenders = files
      .filter(({ file }) => !isDatabaseLayer(file) && file !== UNIT_OF_WORK)
      .filter(({ file }) => !file.endsWith('.entity.ts') && !file.endsWith('.module.ts'))
      .filter(({ text }) => /from '[^']*\.entity\.js'|\bEntityManager\b/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('keeps services under 350 lines and one resolver class per file', () => {
    const long = files
      .filter(({ file }) => file.endsWith('.service.ts'))
      .filter(({ text }) => text.split('\n').length > 350)
      .map(({ file }) => file);
    const crowded = files
      .filter(({ file }) => file.endsWith('.resolver.ts'))
      .filter(({ text }) => (text.match(/@Resolver\(/g) ?? []).length > 1)
      .map(({ file }) => file);
    expect([...long, ...crowded]).toEqual([]);
  });
});
